import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that reject bad values with a message naming the option. */
export function numberOption(option: string, check?: { min?: number; max?: number; integer?: boolean }) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`${option} needs a number, got '${raw}'.`);
    if (check?.integer && !Number.isInteger(value)) throw new InvalidArgumentError(`${option} needs a whole number, got '${raw}'.`);
    if (check?.min !== undefined && value < check.min) throw new InvalidArgumentError(`${option} must be at least ${check.min}, got ${raw}.`);
    if (check?.max !== undefined && value > check.max) throw new InvalidArgumentError(`${option} must be at most ${check.max}, got ${raw}.`);
    return value;
  };
}

export function listOption(option: string) {
  return (raw: string): string[] => {
    const items = raw.split(',').map((item) => item.trim());
    if (items.some((item) => item === '')) throw new InvalidArgumentError(`${option} needs a comma-separated list without empty items, got '${raw}'.`);
    return items;
  };
}

export function choiceOption<T extends string>(option: string, choices: readonly T[]) {
  return (raw: string): T => {
    if (!(choices as readonly string[]).includes(raw)) throw new InvalidArgumentError(`${option} must be one of ${choices.join(', ')}, got '${raw}'.`);
    return raw as T;
  };
}

export function numberListOption(option: string, check?: { min?: number; max?: number; integer?: boolean }) {
  const items = listOption(option);
  const number = numberOption(option, check);
  return (raw: string): number[] => items(raw).map(number);
}
