/** The six services in the order of their ports (PORT_BASE + index). */
export const SERVICES = [
  { name: 'gateway', urlKey: 'GATEWAY_URL' },
  { name: 'tts', urlKey: 'TTS_SERVICE_URL' },
  { name: 'stt', urlKey: 'STT_SERVICE_URL' },
  { name: 'chat', urlKey: 'CHAT_SERVICE_URL' },
  { name: 'document', urlKey: 'DOCUMENT_SERVICE_URL' },
  { name: 'quiz', urlKey: 'QUIZ_SERVICE_URL' },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

/** `<SVC>_DATABASE_URL`: a configured server database for that service, instead of PGlite. */
export function databaseUrlKey(service: ServiceName): string {
  return `${service.toUpperCase()}_DATABASE_URL`;
}
