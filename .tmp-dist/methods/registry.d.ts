import type { FairnessMethod } from './method.js';
export declare function listMethods(): FairnessMethod[];
export declare function getMethod(name: string): FairnessMethod;
