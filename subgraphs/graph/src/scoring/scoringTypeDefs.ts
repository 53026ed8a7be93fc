/** Confidence scoring (scoreModel.ts has the model): source reliability, thresholds, feedback, scores with their parts. */
export const scoringTypeDefs = /* GraphQL */ `
  "Admiralty (NATO) source reliability: A completely reliable … E unreliable, F reliability cannot be judged."
  enum AdmiraltyGrade {
    A
    B
    C
    D
    E
    F
  }

  "An analyst's verdict on an indicator; NONE clears it."
  enum IndicatorVerdict {
    CONFIRMED
    FALSE_POSITIVE
    NONE
  }

  "A score's band under the tenant's thresholds: HIGH at or above high, LOW below low."
  enum ScoreBand {
    HIGH
    MEDIUM
    LOW
  }

  "How far the tenant trusts a source (the name ingest jobs record in an entity's sources)."
  type SourceReliability {
    source: String!
    grade: AdmiraltyGrade!
    "The weight the grade gives in the model (A 0.9 … F 0.3)."
    weight: Float!
    meaning: String!
    "False for a source seen on indicators that nobody graded yet (it counts as F)."
    assigned: Boolean!
    updatedBy: ID
    updatedAt: String
    "Set by setSourceReliability: how many of the source's indicators were rescored."
    indicatorsRescored: Int
  }

  "The tenant's score bands (default high 75, low 30)."
  type ScoreThresholds {
    high: Int!
    low: Int!
    updatedBy: ID
    updatedAt: String
  }

  "One part of a score: reliability, corroboration, sightings, decay or feedback."
  type ScorePart {
    name: String!
    "The part's value (reliability, corroboration and sightings add up before decay multiplies; feedback 1 = none)."
    value: Float!
    "What the part means for this indicator, in plain words."
    sentence: String!
  }

  type ScoredSource {
    source: String!
    grade: AdmiraltyGrade!
  }

  "An indicator's confidence 0–100 and why."
  type IndicatorScore {
    indicatorId: ID!
    score: Int!
    band: ScoreBand!
    model: String!
    "ip, domain, url, file-hash, email or other (it picks the half-life)."
    indicatorType: String!
    halfLifeDays: Float!
    ageDays: Float!
    "Its independent sources, best first."
    sources: [ScoredSource!]!
    parts: [ScorePart!]!
    computedAt: String!
  }

  type ScoreRecompute {
    indicatorsScored: Int!
    "Objects the indicators point at (their score is the best of their visible indicators)."
    objectsScored: Int!
    computedAt: String!
  }

  extend type Indicator {
    "The score's band under the tenant's thresholds (null until scored)."
    scoreBand: ScoreBand @customResolver(requires: "score")
  }

  type Query {
    "The tenant's graded sources and the ungraded ones seen on its indicators."
    sourceReliabilities: [SourceReliability!]!
    scoreThresholds: ScoreThresholds!
    "An indicator's score with its parts; NOT_FOUND for one you cannot see (another tenant's or above your clearance)."
    indicatorScore(id: ID!): IndicatorScore
  }

  type Mutation {
    "Grades a source for your tenant and rescores its indicators."
    setSourceReliability(source: String!, grade: AdmiraltyGrade!): SourceReliability!
    "Records an analyst's verdict (CONFIRMED: at least 90; FALSE_POSITIVE: 0; NONE clears it) and rescores the indicator."
    setIndicatorFeedback(id: ID!, verdict: IndicatorVerdict!, note: String): Indicator!
    "Sets the score bands; BAD_USER_INPUT unless 0 ≤ low < high ≤ 100."
    setScoreThresholds(high: Int!, low: Int!): ScoreThresholds!
    "Recomputes every score of your tenant now (the hourly job does it for every tenant)."
    recomputeScores: ScoreRecompute!
  }
`;
