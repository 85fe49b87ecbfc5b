import VOCSchema

/// The line `voc analyze` prints for one input: the insight event's payload plus `id`
/// (= `insightId`) and `sourceId` (= `transcriptId`, the input's `id`), the names
/// analysts use offline.
public struct OfflineInsight: Encodable, Sendable {
    public var insight: InsightProduced

    public init(_ insight: InsightProduced) {
        self.insight = insight
    }

    enum CodingKeys: String, CodingKey { case id, sourceId }

    public func encode(to encoder: any Encoder) throws {
        try insight.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(insight.insightId, forKey: .id)
        try container.encode(insight.transcriptId, forKey: .sourceId)
    }
}
