import type { Vendor } from '../domain/model.js';
import { builder } from './builder.js';

export const VendorEnum = builder.enumType('Vendor', {
  description: 'The calling platform that runs a batch.',
  values: {
    SYLLABLE: { value: 'syllable' satisfies Vendor, description: 'Syllable (api.syllable.cloud), outbound communication batches.' },
    BOLNA: { value: 'bolna' satisfies Vendor, description: 'Bolna (api.bolna.ai), batch calls of a voice agent.' },
  } as const,
});
