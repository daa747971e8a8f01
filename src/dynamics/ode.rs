//! Ordinary differential equations: the classical Runge–Kutta step.

/// A vector field `f(x, dx)`: writes dx/dt at state `x` into `dx`.
pub trait VectorField {
    fn dim(&self) -> usize;
    fn eval(&self, x: &[f64], dx: &mut [f64]);
}

/// Scratch space for [`rk4_step`], so that stepping does not allocate.
#[derive(Debug, Clone)]
pub struct Rk4 {
    k1: Vec<f64>,
    k2: Vec<f64>,
    k3: Vec<f64>,
    k4: Vec<f64>,
    tmp: Vec<f64>,
}

impl Rk4 {
    pub fn new(dim: usize) -> Self {
        Rk4 {
            k1: vec![0.0; dim],
            k2: vec![0.0; dim],
            k3: vec![0.0; dim],
            k4: vec![0.0; dim],
            tmp: vec![0.0; dim],
        }
    }

    /// One RK4 step of size `dt`: x ← x + dt/6 (k1 + 2k2 + 2k3 + k4).
    /// Returns max |dx/dt| at the start of the step (k1), a convergence measure.
    pub fn step<F: VectorField + ?Sized>(&mut self, f: &F, x: &mut [f64], dt: f64) -> f64 {
        let n = x.len();
        f.eval(x, &mut self.k1);
        for i in 0..n {
            self.tmp[i] = x[i] + 0.5 * dt * self.k1[i];
        }
        f.eval(&self.tmp, &mut self.k2);
        for i in 0..n {
            self.tmp[i] = x[i] + 0.5 * dt * self.k2[i];
        }
        f.eval(&self.tmp, &mut self.k3);
        for i in 0..n {
            self.tmp[i] = x[i] + dt * self.k3[i];
        }
        f.eval(&self.tmp, &mut self.k4);
        let mut speed = 0.0f64;
        for i in 0..n {
            x[i] += dt / 6.0 * (self.k1[i] + 2.0 * self.k2[i] + 2.0 * self.k3[i] + self.k4[i]);
            speed = speed.max(self.k1[i].abs());
        }
        speed
    }
}

/// Integrates from `x` for at most `max_steps` RK4 steps of `dt`, stopping once
/// max|dx/dt| < `tol`. Returns the number of steps taken; `x` holds the end state.
pub fn relax<F: VectorField + ?Sized>(
    f: &F,
    x: &mut [f64],
    dt: f64,
    max_steps: usize,
    tol: f64,
) -> usize {
    let mut rk = Rk4::new(x.len());
    for s in 0..max_steps {
        let speed = rk.step(f, x, dt);
        if speed < tol || !speed.is_finite() {
            return s;
        }
    }
    max_steps
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Decay;
    impl VectorField for Decay {
        fn dim(&self) -> usize {
            1
        }
        fn eval(&self, x: &[f64], dx: &mut [f64]) {
            dx[0] = -x[0];
        }
    }

    #[test]
    fn rk4_is_fourth_order() {
        let err = |dt: f64| {
            let mut x = [1.0];
            let mut rk = Rk4::new(1);
            let n = (1.0 / dt).round() as usize;
            for _ in 0..n {
                rk.step(&Decay, &mut x, dt);
            }
            (x[0] - crate::dynamics::fm::exp(-1.0)).abs()
        };
        let ratio = err(0.1) / err(0.05);
        assert!((ratio - 16.0).abs() < 1.0, "error ratio {ratio}");
    }
}
