/** A run named on an experiment's command line: `method` or `method:key=value,key=value`. */
export interface Run {
  label: string;
  method: string;
  params: Record<string, unknown>;
}

/** Parses `method:key=value,...`; a value that reads as a number becomes one, anything else stays a string. */
export function parseRun(text: string): Run {
  const [method, rest] = text.split(':');
  const params = Object.fromEntries((rest ? rest.split(',') : []).map((pair) => {
    const [key, value] = pair.split('=');
    return [key, Number.isNaN(Number(value)) ? value : Number(value)];
  }));
  return { label: text, method, params };
}
