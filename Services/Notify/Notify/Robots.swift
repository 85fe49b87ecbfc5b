import Foundation
import VOCSchema

/// A robot's sliding one-minute window: both WeCom and DingTalk allow 20 messages a
/// minute, and DingTalk blocks a robot for 10 minutes past it (130101), so the stage
/// counts for itself and never asks for more.
actor RobotLimiter {
    private let perMinute: Int
    private let window: Duration
    private var sent: [String: [ContinuousClock.Instant]] = [:]

    init(perMinute: Int, window: Duration = .seconds(60)) {
        self.perMinute = max(1, perMinute)
        self.window = window
    }

    /// Takes `count` slots of `robot` if all are free now.
    func take(_ robot: String, count: Int = 1) -> Bool {
        let now = ContinuousClock.now
        var recent = (sent[robot] ?? []).filter { now - $0 < window }
        guard recent.count + count <= perMinute else {
            sent[robot] = recent
            return false
        }
        recent += Array(repeating: now, count: count)
        sent[robot] = recent
        return true
    }

    /// The platform said the robot is over its limit: treat the window as full.
    func exhaust(_ robot: String) {
        sent[robot] = Array(repeating: ContinuousClock.now, count: perMinute)
    }
}

/// Markdown for WeCom: at most 4,096 bytes a message, split on line breaks (a single
/// longer line on character boundaries).
enum MarkdownSplitter {
    static let wecomLimit = 4096

    static func split(_ text: String, limit: Int = wecomLimit) -> [String] {
        guard text.utf8.count > limit else { return [text] }
        var parts: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { parts.append(current) }
            current = ""
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? line : current + "\n" + line
            if candidate.utf8.count <= limit {
                current = candidate
                continue
            }
            flush()
            var rest = Substring(line)
            while rest.utf8.count > limit {
                var cut = rest.startIndex
                var bytes = 0
                for index in rest.indices {
                    let size = rest[index].utf8.count
                    if bytes + size > limit { break }
                    bytes += size
                    cut = rest.index(after: index)
                }
                parts.append(String(rest[..<cut]))
                rest = rest[cut...]
            }
            current = String(rest)
        }
        flush()
        return parts
    }
}

/// The two robot APIs. Each answers HTTP 200 with `{"errcode":…,"errmsg":…}`.
struct RobotClient: Sendable {
    let http: OutboundHTTP
    let wecomBaseURL: String
    let dingtalkBaseURL: String

    /// WeCom group robot: `POST /cgi-bin/webhook/send?key=…` with a markdown message.
    func wecom(key: String, content: String) async -> Attempt {
        let body = try! JSONSerialization.data(withJSONObject: ["msgtype": "markdown", "markdown": ["content": content]])
        let url = "\(wecomBaseURL)/cgi-bin/webhook/send?key=\(Self.encode(key))"
        return await post(url, body: Array(body), rateLimitCodes: [45009])
    }

    /// DingTalk custom robot in signed mode: markdown, with the people to `@`.
    func dingtalk(token: String, secret: String?, title: String, text: String, mobiles: [String]) async -> Attempt {
        var markdown = text
        if !mobiles.isEmpty { markdown += "\n\n" + mobiles.map { "@\($0)" }.joined(separator: " ") }
        let message: [String: Any] = [
            "msgtype": "markdown",
            "markdown": ["title": title, "text": markdown],
            "at": ["atMobiles": mobiles, "isAtAll": false],
        ]
        let body = try! JSONSerialization.data(withJSONObject: message)
        var url = "\(dingtalkBaseURL)/robot/send?access_token=\(Self.encode(token))"
        if let secret {
            let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
            url += "&timestamp=\(timestamp)&sign=\(DingTalkSigner.sign(secret: secret, timestampMs: timestamp))"
        }
        // 310000: bad signature or IP not allowed, the robot's settings must change.
        return await post(url, body: Array(body), rateLimitCodes: [130101])
    }

    private func post(_ url: String, body: [UInt8], rateLimitCodes: Set<Int>) async -> Attempt {
        switch await http.send(url, headers: [("content-type", "application/json")], body: body) {
        case .unanswered(let attempt): return attempt
        case .answered(let status, let answer, let retryAfter):
            guard status == 200 else { return Attempt.classify(status: status, answer: answer, retryAfter: retryAfter) }
            let parsed = (try? JSONSerialization.jsonObject(with: Data(answer.utf8))) as? [String: Any]
            guard let code = (parsed?["errcode"] as? Int) ?? (parsed?["errcode"] as? NSNumber)?.intValue else {
                return .permanent("robot answered without errcode", status: status, answer: answer)
            }
            if code == 0 { return Attempt(verdict: .delivered, status: status, answer: answer) }
            if rateLimitCodes.contains(code) {
                return Attempt(verdict: .rateLimited, status: status, answer: answer, error: "robot over its rate limit (\(code))")
            }
            // -1 is the platform busy; everything else (310000 bad signature, 93000 bad key,
            // 40035 bad message) needs a person to change the robot or the message.
            if code == -1 { return .transient("robot platform busy (\(code))", status: status, answer: answer) }
            return .permanent("robot refused the message (errcode \(code))", status: status, answer: answer)
        }
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
