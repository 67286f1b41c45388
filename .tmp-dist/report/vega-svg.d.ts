import { type TopLevelSpec } from 'vega-lite';
/**
 * Renders a Vega-Lite spec to an SVG string in Node: compiled to Vega, run headless (renderer 'none', no
 * canvas and no browser; text widths are estimated), serialised by Vega's SVG string renderer.
 */
export declare function renderSvg(spec: TopLevelSpec): Promise<string>;
/**
 * Makes the ids inside one SVG unique in a page that inlines many (Vega names its clip paths clip1, clip2, … in
 * every chart, and ids are global to an HTML document).
 */
export declare function scopeSvgIds(svg: string, prefix: string): string;
