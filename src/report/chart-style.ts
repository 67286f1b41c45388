/** The look every chart shares (its own module, so chart modules can use it without importing each other). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'Helvetica, Arial, sans-serif';
export const CHART_CONFIG = { font: FONT, view: { stroke: '#ddd' }, axis: { labelFontSize: 10, titleFontSize: 11 }, legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 220 } };
