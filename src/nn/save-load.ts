/**
 * The model folder is owned by src/model-folder/ (model.json format, weights.bin, FittedModel). These two calls
 * remain for code that saves a bare model with its encoder and nothing about its data (such a folder predicts
 * without groups or clusters): prefer saveFittedModel / FittedModel.load.
 */
import type { EncoderSpec } from '../data/encoder.js';
import { loadModelFolder, writeModelFolder } from '../model-folder/folder.js';
import type { Model } from './model.js';

export interface SavedModelContents {
  model: Model;
  encoder: EncoderSpec;
  method: string;
  params: Record<string, unknown>;
}

export async function saveModel(dir: string, contents: SavedModelContents): Promise<void> {
  await writeModelFolder(dir, { model: contents.model, method: { name: contents.method, params: contents.params }, encoder: contents.encoder });
}

export async function loadModel(dir: string): Promise<SavedModelContents> {
  const { folder, model } = await loadModelFolder(dir);
  return { model, encoder: folder.encoder, method: folder.method.name, params: folder.method.params };
}
