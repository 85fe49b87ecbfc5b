import Crypto
import Foundation

/// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>`,
/// one per secret, space-separated, so a receiver holding either secret of a rotation
/// verifies the message.
enum WebhookSigner {
    /// The key bytes of a `whsec_<base64>` secret, or nil when it is not one.
    static func secretBytes(_ secret: String) -> [UInt8]? {
        var text = String(secret.dropFirst(6))
        // Secrets are often written without base64 padding; receivers accept them so.
        while text.count % 4 != 0 { text += "=" }
        guard secret.hasPrefix("whsec_"), let data = Data(base64Encoded: text), !data.isEmpty else { return nil }
        return Array(data)
    }

    /// The `webhook-signature` header value.
    static func signature(id: String, timestamp: Int, body: [UInt8], secrets: [String]) -> String {
        var signed = Array("\(id).\(timestamp).".utf8)
        signed += body
        return secrets.compactMap(secretBytes).map { key in
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
            return "v1," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }

    /// The headers of one attempt; the timestamp is the attempt's, the id the message's.
    static func headers(id: String, timestamp: Int, body: [UInt8], secrets: [String]) -> [(String, String)] {
        [
            ("content-type", "application/json"),
            ("webhook-id", id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body, secrets: secrets)),
        ]
    }
}

/// DingTalk's signed mode: `sign = urlencode(base64(HMAC-SHA256(secret, "\(ms)\n\(secret)")))`.
enum DingTalkSigner {
    static func sign(secret: String, timestampMs: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestampMs)\n\(secret)".utf8),
                                                  using: SymmetricKey(data: Array(secret.utf8)))
        let base64 = Data(mac).base64EncodedString()
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return base64.addingPercentEncoding(withAllowedCharacters: allowed) ?? base64
    }
}
