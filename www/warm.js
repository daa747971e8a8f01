// Start-up warm-ups: code and fonts a lab's first charts would otherwise meet cold.
import { warm_heatmap } from './pkg/lde.js';

// The first text drawn on a page resolves the font and, for characters its first face lacks,
// a fallback: profiled at 12-32 ms of measureText inside the first chart draws. Done here, it
// overlaps the wasm module's download and compilation. The string holds every non-ASCII
// character the charts' labels use.
const CHART_CHARS = '0.5 −1.2e-3 λ·γ…α‖η²σ₀₁₂₃≈–ε±×√→∇≥§≤∞ᵀπβŷ½µ—θΔŴ⟩⟨≠∝⇒←⁻⁺⁶φτξδ¼¹ log₁₀ J';
export function warmFont() {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return;
  for (const px of [11, 12, 13]) {
    ctx.font = `normal ${px}px sans-serif`;
    ctx.measureText(CHART_CHARS);
    ctx.fillText(CHART_CHARS, 0, 10);
  }
}

// A lab's first heatmap would run the raster, colour-bar and blit code in the engine's baseline
// compiler (src/web/warm.rs). One synthetic heatmap drawn off-screen before the sections are
// built, while no worker computes yet, gets it optimised. Measured on this 2-core VM, the fixed
// points at workers=2, six loads each: its first slice heatmap draw took 48-75 ms (median 60)
// without, 13-46 ms (median 27) with; the warm-up itself 26-41 ms, before the lab's first paint.
export function warmHeatmap() {
  const canvas = document.createElement('canvas');
  canvas.width = 560;
  canvas.height = 420;
  try {
    warm_heatmap(canvas, 1);
  } catch { /* a warm-up only: the real draws report their own errors */ }
}
