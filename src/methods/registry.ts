import { FairkitError } from '../errors.js';
import { adversarial } from './adversarial.js';
import { eor } from './eor.js';
import { erm } from './erm.js';
import { fairMixup } from './fairmixup.js';
import { flayer, projection } from './flayer.js';
import { gcm } from './gcm.js';
import { gradAlign } from './grad-align.js';
import { groupMixNorm } from './groupmixnorm.js';
import { iga } from './iga.js';
import { fairDa, fairMedl, medl } from '../medl/methods.js';
import type { Method } from '../train/method.js';
import { oversample } from './oversample.js';
import { penalty, strictPenalty } from './penalty.js';
import { reweigh } from './reweigh.js';

/** Every method by name: adding a method is one file and one line here. */
const methods: Method<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  erm,
  oversample,
  reweigh,
  eor,
  adversarial,
  penalty,
  strictPenalty,
  fairMixup,
  gcm,
  iga,
  gradAlign,
  groupMixNorm,
  flayer,
  projection,
  medl,
  fairMedl,
  fairDa,
];

export function listMethods(): Method[] {
  return methods;
}

export function getMethod(name: string): Method {
  const method = methods.find((candidate) => candidate.name === name);
  if (!method) throw new FairkitError(`unknown method '${name}'`, { fix: `Known methods: ${methods.map((m) => m.name).join(', ')}` });
  return method;
}
