export { fastParseDocuments, fastParseBailReason } from './fast-parse-documents.js';
