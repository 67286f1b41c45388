import { parse, View } from 'vega';
import { compile } from 'vega-lite';
/**
 * Renders a Vega-Lite spec to an SVG string in Node: compiled to Vega, run headless (renderer 'none', no
 * canvas and no browser; text widths are estimated), serialised by Vega's SVG string renderer.
 */
export async function renderSvg(spec) {
    const view = new View(parse(compile(spec).spec), { renderer: 'none' });
    try {
        return await view.toSVG();
    }
    finally {
        view.finalize();
    }
}
/**
 * Makes the ids inside one SVG unique in a page that inlines many (Vega names its clip paths clip1, clip2, … in
 * every chart, and ids are global to an HTML document).
 */
export function scopeSvgIds(svg, prefix) {
    return svg
        .replace(/\bid="([^"]+)"/g, (_, id) => `id="${prefix}-${id}"`)
        .replace(/url\(#([^)]+)\)/g, (_, id) => `url(#${prefix}-${id})`)
        .replace(/href="#([^"]+)"/g, (_, id) => `href="#${prefix}-${id}"`);
}
//# sourceMappingURL=vega-svg.js.map