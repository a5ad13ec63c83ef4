/**
 * Host name -> application, by domain suffix: "r3---sn-4g5e6nez.googlevideo.com"
 * matches "googlevideo.com" -> YouTube. The longest matching suffix wins, so
 * "teams.microsoft.com" (Teams) beats "microsoft.com" (Microsoft). Lookups
 * walk the labels from the longest suffix down: one Map lookup per label.
 */

/** Built-in suffixes by application. Users add or override with `enrich.app.hosts`. */
export const DEFAULT_HOST_APPS: Record<string, readonly string[]> = {
  YouTube: [
    'youtube.com',
    'googlevideo.com',
    'ytimg.com',
    'youtu.be',
    'youtube-nocookie.com',
    'yt3.ggpht.com',
  ],
  Google: [
    'google.com',
    'googleapis.com',
    'gstatic.com',
    'gvt1.com',
    'gvt2.com',
    'googleusercontent.com',
    'google-analytics.com',
    'googletagmanager.com',
    'ggpht.com',
    'android.com',
    'googlesyndication.com',
    'doubleclick.net',
    'app-measurement.com',
    'crashlytics.com',
    'firebaseio.com',
    'gmail.com',
  ],
  Netflix: ['netflix.com', 'nflxvideo.net', 'nflximg.net', 'nflxext.com', 'nflxso.net'],
  'Microsoft 365': [
    'office.com',
    'office.net',
    'office365.com',
    'outlook.com',
    'outlook.office.com',
    'sharepoint.com',
    'onedrive.com',
    'onenote.com',
    'microsoftonline.com',
  ],
  Teams: [
    'teams.microsoft.com',
    'teams.live.com',
    'teams.cdn.office.net',
    'skype.com',
    'skypeforbusiness.com',
    'lync.com',
    'trouter.teams.microsoft.com',
  ],
  Microsoft: [
    'microsoft.com',
    'live.com',
    'msn.com',
    'bing.com',
    'azure.com',
    'azureedge.net',
    'msedge.net',
    'windows.net',
    'msftconnecttest.com',
    'msauth.net',
    'msftauth.net',
  ],
  'Windows Update': ['windowsupdate.com', 'update.microsoft.com', 'delivery.mp.microsoft.com'],
  Zoom: ['zoom.us', 'zoom.com', 'zoomgov.com'],
  WhatsApp: ['whatsapp.com', 'whatsapp.net'],
  Facebook: ['facebook.com', 'fbcdn.net', 'facebook.net', 'fb.com', 'fbsbx.com', 'messenger.com'],
  Instagram: ['instagram.com', 'cdninstagram.com'],
  TikTok: ['tiktok.com', 'tiktokcdn.com', 'tiktokv.com', 'byteoversea.com', 'ibytedtos.com', 'musical.ly'],
  Apple: [
    'apple.com',
    'icloud.com',
    'mzstatic.com',
    'apple-cloudkit.com',
    'cdn-apple.com',
    'aaplimg.com',
    'itunes.com',
    'me.com',
  ],
  Amazon: [
    'amazon.com',
    'amazon.de',
    'amazon.co.uk',
    'media-amazon.com',
    'ssl-images-amazon.com',
    'amazon-adsystem.com',
  ],
  'Amazon Web Services': ['amazonaws.com', 'cloudfront.net', 'awsstatic.com'],
  'Prime Video': ['primevideo.com', 'aiv-cdn.net', 'aiv-delivery.net', 'pv-cdn.net'],
  Cloudflare: ['cloudflare.com', 'cloudflare-dns.com', 'one.one.one.one', 'cloudflareinsights.com'],
  Steam: ['steampowered.com', 'steamcommunity.com', 'steamstatic.com', 'steamcontent.com', 'steamserver.net'],
  Twitter: ['twitter.com', 'twimg.com', 'x.com', 't.co'],
  Spotify: ['spotify.com', 'scdn.co', 'spotifycdn.com', 'spotilocal.com'],
  Twitch: ['twitch.tv', 'ttvnw.net', 'jtvnw.net'],
  Discord: ['discord.com', 'discord.gg', 'discordapp.com', 'discordapp.net', 'discord.media'],
  Telegram: ['telegram.org', 't.me', 'telegram.me'],
  Snapchat: ['snapchat.com', 'snap-dev.net', 'sc-cdn.net'],
  LinkedIn: ['linkedin.com', 'licdn.com'],
  Reddit: ['reddit.com', 'redd.it', 'redditmedia.com', 'redditstatic.com'],
  Dropbox: ['dropbox.com', 'dropboxstatic.com', 'dropboxusercontent.com'],
  GitHub: ['github.com', 'githubusercontent.com', 'githubassets.com'],
  Akamai: ['akamai.net', 'akamaiedge.net', 'akamaihd.net', 'akamaized.net', 'edgekey.net', 'edgesuite.net'],
  'Disney+': ['disneyplus.com', 'disney-plus.net', 'bamgrid.com', 'dssott.com'],
  Webex: ['webex.com', 'wbx2.com'],
  'Epic Games': ['epicgames.com', 'unrealengine.com', 'fortnite.com'],
  Xbox: ['xboxlive.com', 'xbox.com'],
  PlayStation: ['playstation.com', 'playstation.net', 'sonyentertainmentnetwork.com'],
  Wikipedia: ['wikipedia.org', 'wikimedia.org'],
  Yahoo: ['yahoo.com', 'yimg.com'],
  'Ubuntu Updates': ['ubuntu.com', 'canonical.com', 'snapcraft.io'],
  'Debian Updates': ['debian.org'],
  Signal: ['signal.org', 'whispersystems.org'],
  Viber: ['viber.com'],
  '1kxun': ['1kxun.com', '1kxun.mobi'],
};

/** A suffix table: name -> application. */
export interface HostAppMap {
  /** The application of a host name (case-insensitive, trailing dot ignored), or undefined. */
  lookup(host: string): string | undefined;
  readonly size: number;
}

/** Builds the table from the defaults plus `extra` (application -> suffixes; extra wins). */
export function createHostAppMap(extra: Record<string, readonly string[]> = {}): HostAppMap {
  const bySuffix = new Map<string, string>();
  for (const table of [DEFAULT_HOST_APPS, extra])
    for (const [app, suffixes] of Object.entries(table))
      for (const s of suffixes) bySuffix.set(s.toLowerCase().replace(/^\.+|\.+$/g, ''), app);
  return {
    lookup(host) {
      let h = host.toLowerCase();
      if (h.endsWith('.')) h = h.slice(0, -1);
      for (let i = -1; ;) {
        const app = bySuffix.get(i < 0 ? h : h.slice(i + 1));
        if (app !== undefined) return app;
        i = h.indexOf('.', i + 1);
        if (i < 0) return undefined;
      }
    },
    get size() {
      return bySuffix.size;
    },
  };
}
