// The test kit's recording logger, for the plugin tests.
export { type LogLine, recordingLogger } from '../../testing/recording-logger.js';
