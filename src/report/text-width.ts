/**
 * Text widths for Vega in Node. Without a canvas Vega guesses 0.8 em per character, about 50 % too wide for a
 * sans-serif font, so axis labels get cut ("Oak Pencil Set, Set o…") and axes reserve room they never use. Vega
 * lets a host supply `textMetrics.width` (vl-convert does the same); this one sums Helvetica/Arial advance
 * widths per character, plus 10 % for wider system fonts (DejaVu Sans, Segoe UI), so labels fit as drawn.
 */
import * as vega from 'vega';

// Advance widths in 1/1000 em for printable ASCII (space … ~), from the Helvetica AFM metrics.
const ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space ! " # $ % & ' ( ) * + , - . /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0-9 : ; < = > ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ A-O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P-Z [ \ ] ^ _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` a-o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p-z { | } ~
];
const SAFETY = 1.1;

function advance(code: number): number {
  if (code >= 32 && code <= 126) return ASCII[code - 32] ?? 556;
  return code >= 0x2e80 ? 1000 : 600; // CJK and wide symbols are square; other scripts about a digit wide
}

/** Width in px of `text` at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) units += advance(ch.codePointAt(0) ?? 0);
  return (units / 1000) * fontSize * SAFETY * (bold ? 1.07 : 1);
}

interface TextItem { fontSize?: number | string; fontWeight?: number | string; limit?: number | string }

/** Installs the estimator into Vega (process-wide; only the report draws with Vega). */
export function installTextMetrics(): void {
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const size = item.fontSize !== undefined && item.fontSize !== null ? Number(item.fontSize) || 0 : 11;
    const weight = item.fontWeight;
    const width = textWidth(text === null || text === undefined ? '' : String(text).trim(), size, weight === 'bold' || Number(weight) >= 600);
    // Vega truncates labels longer than their limit; the drawn label is then at most the limit wide.
    const limit = Number(item.limit);
    return limit > 0 && width > limit ? limit : width;
  };
}
