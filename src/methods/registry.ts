import { FairkitError } from '../errors.js';
import { erm } from './erm.js';
import type { FairnessMethod } from './method.js';

/** Every method by name: adding a method is one file and one line here. */
const methods: FairnessMethod<any>[] = [erm]; // eslint-disable-line @typescript-eslint/no-explicit-any

export function listMethods(): FairnessMethod[] {
  return methods;
}

export function getMethod(name: string): FairnessMethod {
  const method = methods.find((candidate) => candidate.name === name);
  if (!method) throw new FairkitError(`unknown method '${name}'`, { fix: `Known methods: ${methods.map((m) => m.name).join(', ')}` });
  return method;
}
