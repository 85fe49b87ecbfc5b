import Foundation
import VOCFastJSON
import VOCSchema

/// Writes an insight as one JSON object by hand: the same document `JSONEncoder` writes
/// (sorted keys, UTC times with milliseconds), several times faster, for `voc analyze`
/// and its benchmark where encoding was a quarter of the cost. A unit test decodes its
/// output and compares it with the encoder's.
public enum InsightJSON {
    /// The offline line: the insight plus `id` and `sourceId` (see ``OfflineInsight``).
    public static func offlineLine(_ insight: InsightProduced) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        w.beginObject()
        w.key("analyzerVersion"); w.stringOrNull(insight.analyzerVersion)
        w.key("businessLine"); w.string(insight.businessLine)
        w.key("categories"); w.array(insight.categories) { w, c in
            w.beginObject(); w.key("id"); w.string(c.id); w.key("score"); w.number(c.score); w.endObject()
        }
        w.key("channel"); w.string(insight.channel.rawValue)
        if let cluster = insight.cluster {
            w.key("cluster"); w.beginObject()
            w.key("id"); w.string(cluster.id); w.key("label"); w.string(cluster.label)
            if let size = cluster.size { w.key("size"); w.integer(size) }
            w.endObject()
        }
        w.key("complaintRisk"); w.number(insight.complaintRisk)
        if let signals = insight.complaintSignals { w.key("complaintSignals"); w.array(signals) { w, s in w.string(s) } }
        w.key("compliance"); w.array(insight.compliance) { w, f in
            w.beginObject()
            w.key("evidence"); w.string(f.evidence)
            if let reason = f.reason { w.key("reason"); w.string(reason) }
            w.key("rule"); w.string(f.rule)
            if let index = f.utteranceIndex { w.key("utteranceIndex"); w.integer(index) }
            w.endObject()
        }
        w.key("customerId"); w.string(insight.customerId)
        w.key("effort"); w.number(insight.effort)
        if let signals = insight.effortSignals { w.key("effortSignals"); w.array(signals) { w, s in w.string(s) } }
        w.key("id"); w.string(insight.insightId)
        w.key("insightId"); w.string(insight.insightId)
        w.key("interactionId"); w.string(insight.interactionId)
        w.key("keywords"); w.array(insight.keywords) { w, k in
            w.beginObject(); w.key("term"); w.string(k.term); w.key("weight"); w.number(k.weight); w.endObject()
        }
        w.key("language"); w.string(insight.language)
        w.key("occurredAt"); w.string(Timestamp.format(insight.occurredAt))
        w.key("pii"); w.array(insight.pii) { w, p in
            w.beginObject()
            w.key("end"); w.integer(p.end); w.key("start"); w.integer(p.start); w.key("type"); w.string(p.type)
            w.key("utteranceIndex"); w.integer(p.utteranceIndex); w.key("value"); w.string(p.value)
            w.endObject()
        }
        w.key("producedAt"); w.string(Timestamp.format(insight.producedAt))
        w.key("profileFacts"); w.array(insight.profileFacts) { w, f in
            w.beginObject()
            w.key("confidence"); w.number(f.confidence); w.key("evidence"); w.string(f.evidence); w.key("fact"); w.string(f.fact)
            w.key("sensitive"); w.bool(f.sensitive)
            if let index = f.utteranceIndex { w.key("utteranceIndex"); w.integer(index) }
            w.endObject()
        }
        w.key("rulePackVersion"); w.string(insight.rulePackVersion)
        w.key("sentiment"); sentiment(insight.sentiment, &w)
        w.key("sourceId"); w.string(insight.transcriptId)
        w.key("suitability"); w.array(insight.suitability) { w, s in w.string(s) }
        w.key("transcriptId"); w.string(insight.transcriptId)
        w.key("utterances"); w.array(insight.utterances) { w, u in
            w.beginObject()
            if let end = u.endMs { w.key("endMs"); w.integer(end) }
            w.key("sentiment"); sentiment(u.sentiment, &w)
            w.key("speaker"); w.string(u.speaker.rawValue)
            if let start = u.startMs { w.key("startMs"); w.integer(start) }
            w.key("text"); w.string(u.text)
            w.endObject()
        }
        w.endObject()
        return w.bytes
    }

    private static func sentiment(_ value: InsightProduced.Sentiment, _ w: inout JSONWriter) {
        w.beginObject(); w.key("label"); w.string(value.label); w.key("score"); w.number(value.score); w.endObject()
    }
}
