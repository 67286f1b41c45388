/**
 * JSON schemas of the routes: Fastify validates requests with them (a mismatch is a 400 naming the path), and
 * @fastify/swagger turns them into the OpenAPI document served at /openapi.json.
 */
const cell = { type: ['string', 'number', 'null'] };
const error = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } }, required: ['error', 'message'] };
const errors = { 400: error, 401: error, 413: error, 415: error, 503: error };
const nullableNumber = { type: ['number', 'null'] };

export function predictSchema(guarded: boolean) {
  return {
    summary: 'Score rows (JSON records, or a CSV body with a header row); F-Layer and projection models adjust them with the online stream',
    ...(guarded ? { security: [{ bearer: [] }] } : {}),
    body: {
      type: 'object',
      required: ['rows'],
      additionalProperties: false,
      properties: { rows: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: cell } } },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          predictions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'score', 'adjusted', 'decision'],
              properties: {
                id: { type: 'integer', description: 'Row id, to post its outcome later' },
                score: { ...nullableNumber, description: "The model's score (probability; regression: value); null when the row is refused" },
                adjusted: { ...nullableNumber, description: 'The score after the post-processor (the online stream), else the score' },
                decision: { type: ['integer', 'null'], enum: [0, 1, null], description: 'adjusted ≥ threshold; null for regression and refused rows' },
                group: { type: 'string' },
                note: { type: 'string', description: 'Why the row was refused or flagged' },
              },
            },
          },
        },
      },
      ...errors,
    },
  };
}

export function outcomesSchema(guarded: boolean) {
  return {
    summary: 'Record true labels of earlier predictions, joined by their ids (for live TPR and FPR)',
    ...(guarded ? { security: [{ bearer: [] }] } : {}),
    body: {
      type: 'object',
      required: ['outcomes'],
      additionalProperties: false,
      properties: {
        outcomes: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', required: ['id', 'label'], additionalProperties: false, properties: { id: { type: 'integer', minimum: 1 }, label: { type: 'integer', enum: [0, 1] } } },
        },
      },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          recorded: { type: 'integer' },
          ignored: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, reason: { type: 'string' } } } },
        },
      },
      409: error,
      ...errors,
    },
  };
}

const groupReport = {
  type: 'object',
  properties: { group: { type: 'string' }, rows: { type: 'integer' }, positiveRate: nullableNumber, meanAdjusted: nullableNumber, labelled: { type: 'integer' }, tpr: nullableNumber, fpr: nullableNumber },
};

export const fairnessSchema = {
  summary: 'Running fairness: rows scored, per-group rates, their gaps, and the online stream’s dual state and bound',
  response: {
    200: {
      type: 'object',
      properties: {
        rows: { type: 'integer' },
        predictRequests: { type: 'integer' },
        outcomeRequests: { type: 'integer' },
        groups: { type: 'array', items: groupReport },
        gaps: { type: 'object', properties: { positiveRate: nullableNumber, meanAdjusted: nullableNumber, tpr: nullableNumber, fpr: nullableNumber } },
        stream: {
          type: ['object', 'null'],
          properties: {
            epsilon: { type: 'number' },
            eta0: { type: 'number' },
            lambda: { type: 'number' },
            lambdaMax: { type: 'number' },
            batches: { type: 'integer' },
            rows: { type: 'integer' },
            weightedAverageGap: { type: 'number', description: 'Σ n_t g_t / N, in logits' },
            pooledGap: { type: 'number' },
            bound: { ...nullableNumber, description: 'ε + λ_max/(η_T N): weightedAverageGap never exceeds it' },
          },
        },
      },
    },
  },
};

export const healthSchema = {
  summary: 'Liveness',
  response: { 200: { type: 'object', properties: { status: { type: 'string' }, method: { type: 'string' }, rows: { type: 'integer' }, persistent: { type: 'boolean' } } } },
};
