/** BullMQ's connection options for a redis://host:port URL (BullMQ needs maxRetriesPerRequest null on workers). */
export function connectionOf(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: null };
}
