import Foundation
import VOCSchema

extension CompiledRules {
    /// Every place `rule` matches, at most one per utterance, in utterance order.
    func hits(_ rule: CompiledRule, in document: MatchDocument) -> [RuleHit] {
        guard mayMatch(rule, in: document) else { return [] }
        var found = [Int](repeating: Self.none, count: document.utterances.count)
        match(rule, in: document, into: &found)
        return Self.list(found)
    }

    /// The first of ``hits(_:in:)``, found without looking further.
    func firstHit(_ rule: CompiledRule, in document: MatchDocument) -> RuleHit? {
        guard mayMatch(rule, in: document) else { return nil }
        for (number, utterance) in document.utterances.enumerated() {
            if let speaker = rule.speaker, utterance.speaker != speaker { continue }
            if let position = firstMatch(rule, utterance) { return RuleHit(utterance: number, position: position) }
        }
        return nil
    }

    /// False when no utterance of the document can match `rule`: it needs a phrase the
    /// document lacks (only a regex could match without one), or another channel.
    private func mayMatch(_ rule: CompiledRule, in document: MatchDocument) -> Bool {
        if rule.regex == nil, !document.candidates[rule.number] { return false }
        if let channels = rule.channels, !channels.contains(document.channel) { return false }
        return true
    }

    /// The utterances where any of `rules` matches, in utterance order (with where one of
    /// them matched); those of `skipped` are not looked at. Once an utterance has a hit no
    /// other rule is tried on it, and the regexes come last: most utterances are settled
    /// by a phrase before ICU would run.
    func hits(_ rules: [CompiledRule], in document: MatchDocument, skipping skipped: SpeakerRole? = nil) -> [RuleHit] {
        var found = [Int](repeating: Self.none, count: document.utterances.count)
        for rule in rules where rule.regex == nil { match(rule, in: document, into: &found, skipping: skipped) }
        for rule in rules where rule.regex != nil { match(rule, in: document, into: &found, skipping: skipped) }
        return Self.list(found)
    }

    /// No hit in an utterance (an array of `Int?` would cost a lookup of its type at run time).
    private static let none = -1

    private func match(_ rule: CompiledRule, in document: MatchDocument, into found: inout [Int], skipping skipped: SpeakerRole? = nil) {
        guard mayMatch(rule, in: document) else { return }
        for (number, utterance) in document.utterances.enumerated() where found[number] == Self.none {
            if let speaker = rule.speaker, utterance.speaker != speaker { continue }
            if let skipped, utterance.speaker == skipped { continue }
            found[number] = firstMatch(rule, utterance) ?? Self.none
        }
    }

    private static func list(_ found: [Int]) -> [RuleHit] {
        found.indices.compactMap { utterance in found[utterance] == none ? nil : RuleHit(utterance: utterance, position: found[utterance]) }
    }

    private func firstMatch(_ rule: CompiledRule, _ utterance: MatchUtterance) -> Int? {
        var best: Int?
        func consider(_ start: Int) {
            if let current = best, current <= start { return }
            if accepts(rule, utterance, start: start) { best = start }
        }
        // Each phrase's places come in order, so the first one past the best so far ends its walk.
        for id in rule.phrases {
            for start in utterance.hits[id] {
                if let current = best, current <= start { break }
                consider(start)
            }
        }
        if let near = rule.near {
            for id in near.a {
                for start in utterance.hits[id] {
                    if let current = best, current <= start { break }
                    if Self.anyNear(near.b, utterance.hits, start, within: near.within) { consider(start) }
                }
            }
        }
        if let regex = rule.regex, best == nil, rule.regexPrefilter?.mayMatch(utterance.presence) ?? true {
            let text = utterance.text
            if let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
               let range = Range(match.range, in: text) {
                // Regex hits are placed by the share of the text before them; enough for clause checks.
                let before = text[..<range.lowerBound].unicodeScalars.count
                let total = max(1, text.unicodeScalars.count)
                let position = before * utterance.normalized.count / total
                if rule.negated != .only { best = min(position, max(0, utterance.normalized.count - 1)) }
            }
        }
        return best
    }

    /// One of the phrases `ids` starts within `within` characters of `start`.
    private static func anyNear(_ ids: [Int], _ hits: PhraseIndex.Hits, _ start: Int, within: Int) -> Bool {
        for id in ids {
            for position in hits[id] {
                if position > start + within { break }
                if position >= start - within { return true }
            }
        }
        return false
    }

    /// Applies the rule's negation mode and its `unless` words to one match.
    private func accepts(_ rule: CompiledRule, _ utterance: MatchUtterance, start: Int) -> Bool {
        let text = utterance.normalized
        if !rule.unless.isEmpty, unlessFound(rule.unless, utterance, clauseOf: start) { return false }
        switch rule.negated {
        case .allow: return true
        case .skip: return !isNegated(text, start: start)
        case .only: return isNegated(text, start: start)
        }
    }

    /// A negation word right before `start` in the same clause: for Chinese the word must
    /// end at most two characters before the match (不保本, 不能保证收益, but not
    /// 不用担心…保本); for English among the three words before it ("cannot promise you
    /// won't lose", but not "cannot guarantee returns and you could lose").
    func isNegated(_ text: [Unicode.Scalar], start: Int) -> Bool {
        let latin = text[start] == " "
        var from = start
        var spaces = 0
        while from > 0, text[from - 1] != MatchText.boundary {
            if latin {
                if text[from - 1] == " " {
                    spaces += 1
                    if spaces > 3 { break }
                }
            } else if start - from >= 5 {
                break
            }
            from -= 1
        }
        let windowEnd = latin ? start + 1 : start
        guard from < windowEnd else { return false }
        let width = windowEnd - from
        for cue in negations where cue.count <= width {
            let cueIsLatin = cue.first == " "
            if cueIsLatin != latin { continue }
            var position = windowEnd - cue.count
            let lowest = latin ? from : max(from, windowEnd - cue.count - 2)
            while position >= lowest {
                if Self.equal(cue, text, at: position) { return true }
                position -= 1
            }
        }
        return false
    }

    /// One of the phrases `ids` was found wholly inside the clause around `position`. A
    /// contrast word (但是, 不过, "but") also starts a clause: transcripts often come without
    /// punctuation, and 非保本…但是到期保证给您3.8 holds a promise whatever came before 但是.
    private func unlessFound(_ ids: [Int], _ utterance: MatchUtterance, clauseOf position: Int) -> Bool {
        let text = utterance.normalized
        var from = position
        while from > 0, text[from - 1] != MatchText.boundary, !MatchText.contrastStarts(text, at: from) { from -= 1 }
        var end = position + 1
        while end < text.count, text[end] != MatchText.boundary, !MatchText.contrastStarts(text, at: end) { end += 1 }
        // The space before " but " also closes the word before it (" public holiday ").
        if end < text.count, text[end] == " " { end += 1 }
        for id in ids {
            let length = index.length(id)
            for start in utterance.hits[id] {
                if start + length > end { break }
                if start >= from { return true }
            }
        }
        return false
    }

    /// `phrase` is at `position` of `text` (which has room for it).
    @inline(__always)
    static func equal(_ phrase: [Unicode.Scalar], _ text: [Unicode.Scalar], at position: Int) -> Bool {
        for offset in phrase.indices where phrase[offset] != text[position + offset] { return false }
        return true
    }
}
