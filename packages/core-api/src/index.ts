export { createApp, API_VERSION } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { openDatabase, migrateLatest, pendingMigrations, type Database } from './db/database.js';
export { startServer, type RunningServer } from './server.js';
export { createServices, type Services } from './services/index.js';
export { DataJobRunner } from './services/dataJobs/runner.js';
