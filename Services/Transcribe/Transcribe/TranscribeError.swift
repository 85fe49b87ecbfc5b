/// Why a recording could not be turned into text, and whether trying again can help.
public struct TranscribeError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        /// The engine did not answer: refused, reset, unknown host.
        case engineUnavailable = "engine_unavailable"
        /// The engine did not answer within the timeout.
        case engineTimeout = "engine_timeout"
        /// The engine answered with a server error (5xx, 429).
        case engineFailed = "engine_failed"
        /// The circuit is open after repeated failures: the engine is not called for a while.
        case circuitOpen = "circuit_open"
        /// The engine refused the request (4xx): the audio or the request is at fault.
        case engineRejected = "engine_rejected"
        /// The engine's answer is not the protocol's JSON.
        case badResponse = "bad_response"
        /// The claim-check bytes are missing or differ from the event's size or SHA-256.
        case audioMismatch = "audio_mismatch"
        /// The claim-check URI cannot be read (scheme not supported, file missing).
        case audioUnavailable = "audio_unavailable"
        /// ffmpeg cannot decode the recording.
        case audioCorrupt = "audio_corrupt"
        /// A tool (ffmpeg) is missing or failed to start.
        case toolFailed = "tool_failed"
        /// A setting is wrong: an unknown engine, a bad URL, an unreadable vocabulary file.
        case configuration
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the same input can succeed later (engine back, file arrived). A
    /// non-retriable error goes to the dead-letter topic at once.
    public var isRetriable: Bool {
        switch code {
        case .engineUnavailable, .engineTimeout, .engineFailed, .circuitOpen, .audioUnavailable, .toolFailed, .badResponse:
            return true
        case .engineRejected, .audioMismatch, .audioCorrupt, .configuration:
            return false
        }
    }

    /// Failures that say the engine itself is unwell; they count toward opening the circuit.
    var isEngineFailure: Bool {
        switch code {
        case .engineUnavailable, .engineTimeout, .engineFailed, .badResponse: return true
        default: return false
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
