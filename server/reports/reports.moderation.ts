/** What moderation does with the visitors' reports: list them, open one, set its status. */
export { findReport, listReports, setReportStatus, type PlaceReport } from './reports.repository.js';
