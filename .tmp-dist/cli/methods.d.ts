import { Command } from 'commander';
export declare function registerMethods(program: Command): void;
