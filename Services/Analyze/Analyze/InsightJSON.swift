import Foundation
import VOCSchema

/// Writes an insight as one JSON object by hand: the same document `JSONEncoder` writes
/// (sorted keys, UTC times with milliseconds), several times faster, for `voc analyze`
/// and its benchmark where encoding was a quarter of the cost. A unit test decodes its
/// output and compares it with the encoder's.
public enum InsightJSON {
    /// The offline line: the insight plus `id` and `sourceId` (see ``OfflineInsight``).
    public static func offlineLine(_ insight: InsightProduced) -> [UInt8] {
        var w = Writer()
        w.bytes.reserveCapacity(4096)
        w.open()
        w.key("analyzerVersion"); w.optional(insight.analyzerVersion)
        w.key("businessLine"); w.string(insight.businessLine)
        w.key("categories"); w.array(insight.categories) { w, c in
            w.open(); w.key("id"); w.string(c.id); w.key("score"); w.number(c.score); w.close()
        }
        w.key("channel"); w.string(insight.channel.rawValue)
        if let cluster = insight.cluster {
            w.key("cluster"); w.open()
            w.key("id"); w.string(cluster.id); w.key("label"); w.string(cluster.label)
            if let size = cluster.size { w.key("size"); w.integer(size) }
            w.close()
        }
        w.key("complaintRisk"); w.number(insight.complaintRisk)
        if let signals = insight.complaintSignals { w.key("complaintSignals"); w.array(signals) { w, s in w.string(s) } }
        w.key("compliance"); w.array(insight.compliance) { w, f in
            w.open()
            w.key("evidence"); w.string(f.evidence)
            if let reason = f.reason { w.key("reason"); w.string(reason) }
            w.key("rule"); w.string(f.rule)
            if let index = f.utteranceIndex { w.key("utteranceIndex"); w.integer(index) }
            w.close()
        }
        w.key("customerId"); w.string(insight.customerId)
        w.key("effort"); w.number(insight.effort)
        if let signals = insight.effortSignals { w.key("effortSignals"); w.array(signals) { w, s in w.string(s) } }
        w.key("id"); w.string(insight.insightId)
        w.key("insightId"); w.string(insight.insightId)
        w.key("interactionId"); w.string(insight.interactionId)
        w.key("keywords"); w.array(insight.keywords) { w, k in
            w.open(); w.key("term"); w.string(k.term); w.key("weight"); w.number(k.weight); w.close()
        }
        w.key("language"); w.string(insight.language)
        w.key("occurredAt"); w.string(Timestamp.format(insight.occurredAt))
        w.key("pii"); w.array(insight.pii) { w, p in
            w.open()
            w.key("end"); w.integer(p.end); w.key("start"); w.integer(p.start); w.key("type"); w.string(p.type)
            w.key("utteranceIndex"); w.integer(p.utteranceIndex); w.key("value"); w.string(p.value)
            w.close()
        }
        w.key("producedAt"); w.string(Timestamp.format(insight.producedAt))
        w.key("profileFacts"); w.array(insight.profileFacts) { w, f in
            w.open()
            w.key("confidence"); w.number(f.confidence); w.key("evidence"); w.string(f.evidence); w.key("fact"); w.string(f.fact)
            w.key("sensitive"); w.bool(f.sensitive)
            if let index = f.utteranceIndex { w.key("utteranceIndex"); w.integer(index) }
            w.close()
        }
        w.key("rulePackVersion"); w.string(insight.rulePackVersion)
        w.key("sentiment"); w.sentiment(insight.sentiment)
        w.key("sourceId"); w.string(insight.transcriptId)
        w.key("suitability"); w.array(insight.suitability) { w, s in w.string(s) }
        w.key("transcriptId"); w.string(insight.transcriptId)
        w.key("utterances"); w.array(insight.utterances) { w, u in
            w.open()
            if let end = u.endMs { w.key("endMs"); w.integer(end) }
            w.key("sentiment"); w.sentiment(u.sentiment)
            w.key("speaker"); w.string(u.speaker.rawValue)
            if let start = u.startMs { w.key("startMs"); w.integer(start) }
            w.key("text"); w.string(u.text)
            w.close()
        }
        w.close()
        return w.bytes
    }

    struct Writer {
        var bytes: [UInt8] = []
        /// Whether the current object or array has a member yet, innermost last.
        private var filled: [Bool] = []
        /// A key was just written: its value needs no comma.
        private var afterKey = false

        mutating func open() { separate(); bytes.append(UInt8(ascii: "{")); filled.append(false) }
        mutating func close() { bytes.append(UInt8(ascii: "}")); filled.removeLast() }

        mutating func key(_ name: String) {
            separate()
            quoted(name)
            bytes.append(UInt8(ascii: ":"))
            afterKey = true
        }

        mutating func array<T>(_ items: [T], _ each: (inout Writer, T) -> Void) {
            separate()
            bytes.append(UInt8(ascii: "["))
            filled.append(false)
            for item in items { each(&self, item) }
            bytes.append(UInt8(ascii: "]"))
            filled.removeLast()
        }

        mutating func string(_ value: String) { separate(); quoted(value) }
        mutating func optional(_ value: String?) { if let value { string(value) } else { separate(); bytes += "null".utf8 } }
        mutating func bool(_ value: Bool) { separate(); bytes += (value ? "true" : "false").utf8 }

        mutating func integer(_ value: Int) {
            separate()
            digits(value)
        }

        /// Decimal digits without going through a `String`.
        private mutating func digits(_ value: UInt) {
            digits(Int(value))
        }

        private mutating func digits(_ value: Int) {
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            var reversed: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                           UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &reversed) { buffer in
                repeat {
                    buffer[count] = UInt8(48 + magnitude % 10)
                    magnitude /= 10
                    count += 1
                } while magnitude > 0
                while count > 0 {
                    count -= 1
                    bytes.append(buffer[count])
                }
            }
        }

        /// Integral values without a fraction (as JSONEncoder writes them), others in Swift's shortest form.
        mutating func number(_ value: Double) {
            separate()
            if value == value.rounded(), abs(value) < 1e15 {
                digits(Int(value))
                return
            }
            // Scores are rounded to thousandths: when the value is exactly the double nearest
            // k/1000, those digits are also Swift's shortest form, written without a String.
            let thousandths = (value * 1000).rounded()
            if abs(value) < 1e12, thousandths / 1000 == value {
                let k = Int(thousandths)
                if k < 0 { bytes.append(UInt8(ascii: "-")) }
                digits(k.magnitude / 1000)
                var fraction = Int(k.magnitude % 1000)
                var width = 3
                while fraction != 0, fraction % 10 == 0 { fraction /= 10; width -= 1 }
                bytes.append(UInt8(ascii: "."))
                for position in stride(from: width - 1, through: 0, by: -1) {
                    var digit = fraction
                    for _ in 0..<position { digit /= 10 }
                    bytes.append(UInt8(48 + digit % 10))
                }
            } else {
                bytes += String(value).utf8
            }
        }

        mutating func sentiment(_ s: InsightProduced.Sentiment) {
            open(); key("label"); string(s.label); key("score"); number(s.score); close()
        }

        /// Adds the comma before a member of an object or array, unless it is a key's value.
        private mutating func separate() {
            if afterKey {
                afterKey = false
                return
            }
            guard let last = filled.last else { return }
            if last { bytes.append(UInt8(ascii: ",")) } else { filled[filled.count - 1] = true }
        }

        /// Copies runs that need no escape in one piece: most of a line is utterance text.
        private mutating func quoted(_ value: String) {
            bytes.append(UInt8(ascii: "\""))
            var copy = value
            copy.withUTF8 { buffer in
                var start = 0
                var index = 0
                while index < buffer.count {
                    // Eight bytes at a time while none is a control character, a quote or a backslash.
                    if index + 8 <= buffer.count {
                        let word = UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: UInt64.self)
                        if !Self.needsEscape(word) {
                            index += 8
                            continue
                        }
                    }
                    let byte = buffer[index]
                    if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                        escape(byte)
                        start = index + 1
                    }
                    index += 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }

        /// Some byte of `word` is below 0x20, a quote or a backslash (the classic "has zero
        /// byte" and "has byte less than" bit tricks).
        @inline(__always)
        static func needsEscape(_ word: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
            let below = (word &- ones &* 0x20) & ~word & highs != 0
            return below || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
        }

        private mutating func escape(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "\""): bytes += [92, 34]
            case UInt8(ascii: "\\"): bytes += [92, 92]
            case 0x0A: bytes += [92, 110]
            case 0x0D: bytes += [92, 114]
            case 0x09: bytes += [92, 116]
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
    }
}
