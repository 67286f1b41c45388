import { InvalidArgumentError } from 'commander';
/** Commander argument parsers that reject bad values with a message naming the option. */
export function numberOption(option, check) {
    return (raw) => {
        const value = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(value))
            throw new InvalidArgumentError(`${option} needs a number, got '${raw}'.`);
        if (check?.integer && !Number.isInteger(value))
            throw new InvalidArgumentError(`${option} needs a whole number, got '${raw}'.`);
        if (check?.min !== undefined && value < check.min)
            throw new InvalidArgumentError(`${option} must be at least ${check.min}, got ${raw}.`);
        if (check?.max !== undefined && value > check.max)
            throw new InvalidArgumentError(`${option} must be at most ${check.max}, got ${raw}.`);
        return value;
    };
}
export function listOption(option) {
    return (raw) => {
        const items = raw.split(',').map((item) => item.trim());
        if (items.some((item) => item === ''))
            throw new InvalidArgumentError(`${option} needs a comma-separated list without empty items, got '${raw}'.`);
        return items;
    };
}
export function choiceOption(option, choices) {
    return (raw) => {
        if (!choices.includes(raw))
            throw new InvalidArgumentError(`${option} must be one of ${choices.join(', ')}, got '${raw}'.`);
        return raw;
    };
}
export function numberListOption(option, check) {
    const items = listOption(option);
    const number = numberOption(option, check);
    return (raw) => items(raw).map(number);
}
//# sourceMappingURL=options.js.map