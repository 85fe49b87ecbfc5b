/// What to offer a customer and what never to, derived from their profile facts.
///
/// A small, fixed table (docs/read-models.md lists it): a fact that makes an offer harmful
/// or unwelcome (high blood pressure and wine, fear of flying and an airport lounge) gives
/// an `avoid` hint, an interest an `offer` hint. An `avoid` hint wins over an `offer` of the
/// same thing. It is read at query time, so a change applies without a rebuild.
public enum Suitability {
    public struct Rule: Sendable, Equatable {
        public var fact: String
        public var hint: String
        public var kind: Kind
    }

    public enum Kind: String, Sendable, Codable {
        case avoid, offer
    }

    public static let rules: [Rule] = [
        Rule(fact: "health.hypertension", hint: "no_wine", kind: .avoid),
        Rule(fact: "health.alcohol_avoid", hint: "no_wine", kind: .avoid),
        Rule(fact: "health.diabetes", hint: "no_sweets", kind: .avoid),
        Rule(fact: "health.dental", hint: "no_hard_food", kind: .avoid),
        Rule(fact: "travel.fear_of_flying", hint: "no_airport_lounge", kind: .avoid),
        Rule(fact: "travel.fear_of_flying", hint: "no_flight_voucher", kind: .avoid),
        Rule(fact: "interest.film", hint: "cinema_tickets", kind: .offer),
        Rule(fact: "interest.tea", hint: "tea_gift", kind: .offer),
        Rule(fact: "interest.golf", hint: "golf_experience", kind: .offer),
        Rule(fact: "interest.travel", hint: "travel_voucher", kind: .offer),
        Rule(fact: "family.child_student", hint: "education_savings_info", kind: .offer),
        Rule(fact: "life.retired", hint: "pension_products_info", kind: .offer),
    ]

    /// Offers an `avoid` hint rules out.
    static let overrides: [String: Set<String>] = [
        "no_airport_lounge": ["travel_voucher"],
        "no_flight_voucher": ["travel_voucher"],
    ]

    /// The hints of `facts`, each once, `avoid` first; the sensitive fact behind a hint is
    /// named only when `showSensitive`.
    public static func hints(for facts: [(fact: String, sensitive: Bool)], showSensitive: Bool) -> [SuitabilityHint] {
        var hints: [SuitabilityHint] = []
        var seen: Set<String> = []
        for kind in [Kind.avoid, .offer] {
            for rule in rules where rule.kind == kind {
                guard let fact = facts.first(where: { $0.fact == rule.fact }), !seen.contains(rule.hint) else { continue }
                if kind == .offer && hints.contains(where: { overrides[$0.hint]?.contains(rule.hint) ?? false }) { continue }
                seen.insert(rule.hint)
                hints.append(SuitabilityHint(hint: rule.hint, kind: kind, basis: fact.sensitive && !showSensitive ? nil : rule.fact))
            }
        }
        return hints
    }
}

/// One hint of the customer 360.
public struct SuitabilityHint: Codable, Sendable, Equatable {
    public var hint: String
    public var kind: Suitability.Kind
    /// The fact it follows from; absent when that fact is sensitive and hidden from the caller.
    public var basis: String?
}
