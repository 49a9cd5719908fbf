/**
 * The names of the photo hashing pipelines (see services/hash-photo.ts). Kept apart from the decoder so that the
 * command line can offer them without loading sharp in the main thread.
 */
export const PHOTO_PIPELINES = ['fast', 'reference', 'full'] as const;
export type PhotoPipeline = (typeof PHOTO_PIPELINES)[number];
