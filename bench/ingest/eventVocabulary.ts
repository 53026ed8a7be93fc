/** The words generated organisations and hosts are made of, and the invalid addresses of bad records. */

// prettier-ignore
export const ORG_WORDS_1 = [
  "Cobalt", "Harbor", "Granite", "Juniper", "Silver", "Northwind", "Bluefin", "Amber", "Cedar", "Falcon", "Meridian", "Orchid",
  "Quartz", "Redwood", "Summit", "Tidewater", "Vertex", "Willow", "Aurora", "Beacon", "Copper", "Driftwood", "Evergreen", "Foxglove",
  "Halcyon", "Ironbridge", "Kestrel", "Lakeshore", "Marigold", "Nimbus",
];
// prettier-ignore
export const ORG_WORDS_2 = [
  "Ridge", "Point", "Valley", "Bay", "Field", "Crest", "Gate", "Hollow", "Park", "Stone", "Brook", "Haven", "Peak", "Grove", "Works",
  "Bridge", "Harbour", "Mill", "Shore", "Crossing",
];
// prettier-ignore
export const ORG_WORDS_3 = [
  "Logistics", "Bank", "Analytics", "Health", "Energy", "Foods", "Telecom", "Insurance", "Systems", "Robotics", "Media", "Pharma",
  "Capital", "Retail", "Aerospace", "Labs",
];
export const ORG_SUFFIXES = ["Ltd", "Inc.", "Group", "LLC", "GmbH", "Holdings", "Corp", "Partners"];
// prettier-ignore
export const HOST_WORDS = [
  "login", "secure", "update", "cdn", "mail", "portal", "auth", "files", "api", "pay", "sso", "vpn", "docs", "status", "track",
  "sync", "cloud", "help", "billing", "account",
];
export const BASES = ["example.com", "example.net", "example.org", "test", "example"];
export const BAD_ADDRESSES = ["300.1.2.3", "010.0.0.1", "198.18.0.256", "198.18.07.1", "2001:db8::1::2"];
