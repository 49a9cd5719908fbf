/**
 * The few io pieces a face (CLI, server, bot) needs to build its context — the API-key repository, the key-file
 * setting, bounded line reading — offered through services, so that faces import only services and core (the
 * dependency rule in eslint.config.js). TODO(#9): replace with use cases (an api-key service) as the faces grow.
 */
export { ApiKeyRepo, type StoredApiKey } from '../io/db/repos/api-key-repo.js';
export { KEY_FILE_ENV, type IdentifierKey } from '../io/crypto/identifier-key.js';
export { boundedLineBatches, boundedLines, type LineLimits } from '../io/stream/bounded-lines.js';
export { VictimCaseRepo } from '../io/db/repos/victim-case-repo.js';
