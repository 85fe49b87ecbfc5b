import VOCSchema

extension InteractionReceived: JSONWritable {
    /// Members in sorted order, as ``JSONCoding``'s encoder writes them.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("agentId", agentId)
        if let audio {
            writer.key("audio")
            audio.write(to: &writer)
        }
        writer.member("businessLine", businessLine)
        writer.member("channel", channel.rawValue)
        writer.member("customerId", customerId)
        writer.member("externalId", externalId)
        writer.member("gatewayId", gatewayId)
        writer.member("interactionId", interactionId)
        writer.member("language", language)
        if let metadata {
            writer.key("metadata")
            writer.beginObject()
            for key in metadata.keys.sorted(by: JSONWriter.keyOrder) {
                writer.key(key)
                writer.string(metadata[key]!)
            }
            writer.endObject()
        }
        writer.key("occurredAt")
        writer.date(occurredAt)
        writer.key("receivedAt")
        writer.date(receivedAt)
        writer.member("text", text)
        if let utterances {
            writer.key("utterances")
            writer.beginArray()
            for utterance in utterances {
                writer.beginObject()
                writer.member("endMs", utterance.endMs)
                writer.member("speaker", utterance.speaker.rawValue)
                writer.member("startMs", utterance.startMs)
                writer.member("text", utterance.text)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
    }
}

extension AudioReference: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("durationMs", durationMs)
        writer.member("layout", layout?.rawValue)
        writer.member("mediaType", mediaType)
        writer.member("sha256", sha256)
        writer.member("sizeBytes", sizeBytes)
        writer.member("uri", uri)
        writer.endObject()
    }
}
