import Foundation

/// The rule file analyze reads (JSON): categories, compliance, profile facts,
/// suitability, complaint-risk and effort cues, PII placeholders and extra lexicon words.
/// Users edit it without rebuilding; `version` goes into every insight id.
/// The format is documented in docs/analysis.md.
public struct RulePack: Codable, Sendable {
    public var version: String
    /// Finance words jieba must keep whole (保本, 赎回, 征信 …).
    public var lexicon: [String] = []
    /// PII type → replacement text (`id_card` → `[身份证]`).
    public var redaction: [String: String] = PIIDetector.defaultPlaceholders
    /// Words that negate what follows them in the same clause (不, 没有, not, never …).
    public var negations: [String] = []
    public var categories: [CategoryDefinition]
    public var compliance: ComplianceDefinition
    public var profileFacts: [FactDefinition]
    /// Fact → hints (`health.hypertension` → `no_wine`).
    public var suitability: [String: [String]] = [:]
    public var complaintRisk: [Cue] = []
    public var effort: [Cue] = []
    /// Named word lists a rule may use in place of words: `"@family"` in `keywords`,
    /// `phrases`, `near` or `unless` stands for every word of `lists.family`.
    public var lists: [String: [String]] = [:]

    /// `words` with each `@name` replaced by the words of `lists.name` (an unknown name,
    /// which compiling the pack refuses, by nothing).
    public func expanded(_ words: [String]) -> [String] {
        words.flatMap { $0.hasPrefix("@") ? lists[String($0.dropFirst())] ?? [] : [$0] }
    }

    /// A category: the rules that add to its score, and the score it needs.
    public struct CategoryDefinition: Codable, Sendable {
        public var id: String
        public var threshold: Double = 1
        public var rules: [MatchRule]
    }

    /// Compliance of advisor sales calls: which channels, and what counts as each act.
    public struct ComplianceDefinition: Codable, Sendable {
        public var channels: [String] = ["advisor_call"]
        /// The agent must say who they are within this many of their first turns.
        public var identityWithinAgentTurns: Int = 3
        public var identity: [MatchRule]
        public var riskDisclosure: [MatchRule]
        public var guaranteedReturn: [MatchRule]
        public var customerConfirmation: [MatchRule]
    }

    /// A profile fact and the wording that reveals it.
    public struct FactDefinition: Codable, Sendable {
        public var fact: String
        public var sensitive: Bool = false
        public var confidence: Double = 0.8
        public var rules: [MatchRule]
    }

    /// A complaint-risk or effort cue: matching rules add `weight` (0...1) once.
    public struct Cue: Codable, Sendable {
        public var signal: String
        public var rules: [MatchRule]
    }
}

/// One matching rule. Each utterance of the right speaker is tested; the rule fires at
/// most once per interaction and adds `weight`.
///
/// - `keywords` / `phrases`: any of them occurs (Chinese as written; English words are
///   compared by Porter stem, so `refund` matches "refunded"). Both behave alike;
///   two names let a file separate single words from longer wording.
/// - `regex`: an ICU regular expression on the lower-cased utterance.
/// - `near`: a word of `near.a` and a word of `near.b`, their starts at most `near.within`
///   characters apart (English words count their letters and a space), commas allowed between.
/// - `speaker`: only utterances of `agent` or `customer`; `channels`: only interactions of these channels.
/// - `negated`: `skip` ignores a match right after a negation (不保本 is not 保本),
///   `allow` keeps it, `only` keeps only negated matches.
/// - `unless`: a match is ignored when one of these occurs in its clause
///   (我妈妈有高血压 is not the customer's hypertension; "risk-free" is no risk disclosure).
/// - In any of these word lists, `@name` stands for the words of the pack's `lists.name`.
public struct MatchRule: Codable, Sendable {
    public var keywords: [String]?
    public var phrases: [String]?
    public var regex: String?
    public var near: Near?
    public var speaker: String?
    /// Only interactions of these channels (e.g. `advisor_call`).
    public var channels: [String]?
    public var weight: Double = 1
    /// Absent: `allow` for categories and cues (没有收到退款 is still about a refund),
    /// `skip` for compliance and profile facts.
    public var negated: Negation?
    public var unless: [String]?

    public struct Near: Codable, Sendable {
        public var a: [String]
        public var b: [String]
        public var within: Int = 8
    }

    public enum Negation: String, Codable, Sendable {
        case skip, allow, only
    }
}

// Optional keys keep their defaults when the file leaves them out.
extension RulePack {
    enum CodingKeys: String, CodingKey {
        case version, lexicon, redaction, negations, categories, compliance, profileFacts, suitability, complaintRisk, effort, lists
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        lexicon = try c.decodeIfPresent([String].self, forKey: .lexicon) ?? []
        redaction = try c.decodeIfPresent([String: String].self, forKey: .redaction) ?? PIIDetector.defaultPlaceholders
        negations = try c.decodeIfPresent([String].self, forKey: .negations) ?? []
        categories = try c.decode([CategoryDefinition].self, forKey: .categories)
        compliance = try c.decode(ComplianceDefinition.self, forKey: .compliance)
        profileFacts = try c.decodeIfPresent([FactDefinition].self, forKey: .profileFacts) ?? []
        suitability = try c.decodeIfPresent([String: [String]].self, forKey: .suitability) ?? [:]
        complaintRisk = try c.decodeIfPresent([Cue].self, forKey: .complaintRisk) ?? []
        effort = try c.decodeIfPresent([Cue].self, forKey: .effort) ?? []
        lists = try c.decodeIfPresent([String: [String]].self, forKey: .lists) ?? [:]
    }
}

extension RulePack.CategoryDefinition {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) ?? 1
        rules = try c.decode([MatchRule].self, forKey: .rules)
    }
}

extension RulePack.ComplianceDefinition {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channels = try c.decodeIfPresent([String].self, forKey: .channels) ?? ["advisor_call"]
        identityWithinAgentTurns = try c.decodeIfPresent(Int.self, forKey: .identityWithinAgentTurns) ?? 3
        identity = try c.decode([MatchRule].self, forKey: .identity)
        riskDisclosure = try c.decode([MatchRule].self, forKey: .riskDisclosure)
        guaranteedReturn = try c.decode([MatchRule].self, forKey: .guaranteedReturn)
        customerConfirmation = try c.decode([MatchRule].self, forKey: .customerConfirmation)
    }
}

extension RulePack.FactDefinition {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fact = try c.decode(String.self, forKey: .fact)
        sensitive = try c.decodeIfPresent(Bool.self, forKey: .sensitive) ?? fact.hasPrefix("health.")
        confidence = try c.decodeIfPresent(Double.self, forKey: .confidence) ?? 0.8
        rules = try c.decode([MatchRule].self, forKey: .rules)
    }
}

extension MatchRule {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords)
        phrases = try c.decodeIfPresent([String].self, forKey: .phrases)
        regex = try c.decodeIfPresent(String.self, forKey: .regex)
        near = try c.decodeIfPresent(Near.self, forKey: .near)
        speaker = try c.decodeIfPresent(String.self, forKey: .speaker)
        channels = try c.decodeIfPresent([String].self, forKey: .channels)
        weight = try c.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        negated = try c.decodeIfPresent(Negation.self, forKey: .negated)
        unless = try c.decodeIfPresent([String].self, forKey: .unless)
    }

    public init(phrases: [String], speaker: String? = nil, weight: Double = 1, negated: Negation? = nil) {
        self.phrases = phrases
        self.speaker = speaker
        self.weight = weight
        self.negated = negated
    }
}

extension MatchRule.Near {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        a = try c.decode([String].self, forKey: .a)
        b = try c.decode([String].self, forKey: .b)
        within = try c.decodeIfPresent(Int.self, forKey: .within) ?? 8
    }
}
