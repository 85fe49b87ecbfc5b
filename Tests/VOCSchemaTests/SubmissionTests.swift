import Foundation
import Testing
import VOCSchema

@Suite("Gateway submissions")
struct SubmissionTests {
    let now = Timestamp.parse("2026-11-24T09:00:00Z")!

    func validate(_ json: String, gateway: String? = nil) throws(ValidationError) -> InteractionReceived {
        try InteractionSubmission.decode(from: Array(json.utf8)).validated(interactionId: "generated", gatewayId: gateway, receivedAt: now)
    }

    func problems(_ json: String) -> [FieldProblem] {
        do {
            _ = try validate(json)
            return []
        } catch {
            return error.problems
        }
    }

    @Test("a complete text submission becomes an event with the generated id")
    func valid() throws {
        let event = try validate(#"{"customerId":"c1","channel":"email","businessLine":"wealth","occurredAt":"2026-11-24T16:30:00+08:00","text":"赎回什么时候到账？","language":"zh-Hans"}"#)
        #expect(event.interactionId == "generated")
        #expect(event.channel == .email && event.text == "赎回什么时候到账？" && event.language == "zh-Hans")
        #expect(event.occurredAt == Timestamp.parse("2026-11-24T08:30:00Z"))
        #expect(event.receivedAt == now)
    }

    @Test("every bad field is reported at once, each by name")
    func allProblems() {
        let found = problems(#"{"customerId":7,"channel":"fax","businessLine":"Credit Card","occurredAt":"24/11/2026","language":"chinese","text":"x","agentId":""}"#)
        #expect(found.map(\.field) == ["customerId", "channel", "businessLine", "occurredAt", "language", "agentId"])
        #expect(found[0].problem == "must be a string")
        #expect(found[1].problem.contains("must be one of hotline_call"))
    }

    @Test("identifiers refuse control characters (C0, DEL and C1) but not other scripts; blank and overlong text are named")
    func textChecks() {
        let base = #"{"channel":"email","businessLine":"wealth","occurredAt":"2026-11-24T16:30:00+08:00","#
        for bad in ["c\\u0007x", "c\\u007f", "c\\u0085x"] {
            let found = problems(base + #""customerId":""# + bad + #"","text":"hi"}"#)
            #expect(found.map(\.problem) == ["must not contain control characters"], "\(bad)")
        }
        #expect(problems(base + #""customerId":"客户-7\u00e9","text":"hi"}"#).isEmpty)
        #expect(problems(base + #""customerId":"c","text":" \u3000\t "}"#).map(\.problem) == ["must not be blank"])
        let long = String(repeating: "长", count: 100_001)
        #expect(problems(base + #""customerId":"c","text":""# + long + #""}"#).first?.problem.hasPrefix("must be at most 100000 characters") == true)
        // Many bytes, few characters: within the limit.
        #expect(problems(base + #""customerId":"c","text":""# + String(repeating: "长", count: 40_000) + #""}"#).isEmpty)
        // Lengths are code points, as JSON Schema's maxLength counts them: 65 letters each
        // with a combining mark are 65 characters on screen and 130 code points.
        let marked = String(repeating: "e\u{301}", count: 65)
        #expect(marked.count == 65)
        #expect(problems(base + #""customerId":""# + marked + #"","text":"hi"}"#).map(\.problem) == ["must be at most 128 characters (got 130)"])
    }

    @Test("what the channel says for route (replyTo, resolvedInContact, amount, customerTier) is checked and carried")
    func routeContext() throws {
        let base = #"{"customerId":"c1","channel":"hotline_call","businessLine":"credit_card","occurredAt":"2026-11-24T16:30:00+08:00","text":"年费退了","#
        let event = try validate(base + #""agentId":"hl-7","replyTo":"tk-1","resolvedInContact":true,"amount":200.5,"customerTier":"private"}"#)
        #expect(event.context == ContactContext(agentId: "hl-7", replyTo: "tk-1", resolvedInContact: true, amount: 200.5, customerTier: "private"))
        // It travels to the transcript and the insight as flat fields.
        let json = String(decoding: try JSONCoding.encoder().encode(event), as: UTF8.self)
        #expect(json.contains(#""replyTo":"tk-1""#) && json.contains(#""amount":200.5"#))
        #expect(try validate(base + #""agentId":"hl-7"}"#).context == ContactContext(agentId: "hl-7"))

        let found = problems(base + #""replyTo":"","resolvedInContact":true,"amount":-5,"customerTier":"Private Banking"}"#)
        #expect(found.map(\.field) == ["replyTo", "resolvedInContact", "amount", "customerTier"])
        #expect(found[1].problem == "needs agentId: the agent who resolved it")
        #expect(problems(base + #""amount":"200","resolvedInContact":"yes"}"#).map(\.field).sorted() == ["amount", "resolvedInContact"])
    }

    @Test("missing required fields are named")
    func missing() {
        #expect(problems("{}").map(\.field) == ["customerId", "channel", "businessLine", "occurredAt", "text"])
    }

    @Test("text and utterances are exclusive, and utterances are checked one by one")
    func utterances() {
        #expect(problems(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-11-24T08:00:00Z","text":"a","utterances":[{"text":"b"}]}"#)
            .map(\.field) == ["utterances"])
        let found = problems(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-11-24T08:00:00Z","utterances":[{"speaker":"bot","text":"hi"},{"speaker":"agent","text":"  "},{"text":"ok","startMs":500,"endMs":100}]}"#)
        #expect(found.map(\.field) == ["utterances[0].speaker", "utterances[1].text", "utterances[2].endMs"])
        #expect(problems(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-11-24T08:00:00Z","utterances":[]}"#)
            .map(\.field) == ["utterances"])
    }

    @Test("occurredAt may not lie in the future beyond clock skew, nor before 2000")
    func times() {
        #expect(problems(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-11-24T09:04:00Z","text":"t"}"#).isEmpty)
        #expect(problems(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-11-24T09:30:00Z","text":"t"}"#)
            .map(\.problem).first?.hasPrefix("must not be in the future") == true)
        #expect(problems(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"1999-12-31T23:59:59Z","text":"t"}"#)
            .map(\.field) == ["occurredAt"])
    }

    @Test("metadata values must be strings, with bounded size")
    func metadata() {
        #expect(problems(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-11-24T08:00:00Z","text":"t","metadata":{"n":1}}"#)
            .map(\.field) == ["metadata.n"])
        let big = String(repeating: "v", count: 1025)
        #expect(problems(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-11-24T08:00:00Z","text":"t","metadata":{"k":"\#(big)"}}"#)
            .map(\.field) == ["metadata.k"])
    }

    @Test("bytes that are not a JSON object are malformed, not invalid")
    func malformed() {
        for body in ["", "{", "[1,2]", "\"text\"", "null"] {
            #expect {
                _ = try InteractionSubmission.decode(from: Array(body.utf8))
            } throws: { error in
                (error as? ValidationError)?.kind == .malformed
            }
        }
    }

    @Test("a resent contact with the same gateway and external id keeps its interaction id")
    func stableIdentity() throws {
        let json = #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-11-24T08:00:00Z","text":"t","externalId":"ext-1"}"#
        let first = try validate(json, gateway: "gw-a")
        let again = try validate(json, gateway: "gw-a")
        let otherGateway = try validate(json, gateway: "gw-b")
        #expect(first.interactionId == again.interactionId)
        #expect(first.interactionId != otherGateway.interactionId)
        #expect(first.interactionId != "generated")
    }
}
