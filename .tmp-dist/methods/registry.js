import { FairkitError } from '../errors.js';
import { adversarial } from './adversarial.js';
import { eor } from './eor.js';
import { erm } from './erm.js';
import { fairMixup } from './fairmixup.js';
import { oversample } from './oversample.js';
import { penalty } from './penalty.js';
import { reweigh } from './reweigh.js';
/** Every method by name: adding a method is one file and one line here. */
const methods = [
    erm,
    oversample,
    reweigh,
    eor,
    adversarial,
    penalty,
    fairMixup,
];
export function listMethods() {
    return methods;
}
export function getMethod(name) {
    const method = methods.find((candidate) => candidate.name === name);
    if (!method)
        throw new FairkitError(`unknown method '${name}'`, { fix: `Known methods: ${methods.map((m) => m.name).join(', ')}` });
    return method;
}
//# sourceMappingURL=registry.js.map