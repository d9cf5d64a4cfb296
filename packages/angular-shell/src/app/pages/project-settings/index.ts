export { ProjectSettingsPage } from './project-settings-page';
