import Foundation
import VOCProcess
import VOCSchema

/// A stereo call made with espeak-ng and sox: agent on one channel, customer on the
/// other, silence with low noise between turns, and the true time of every turn. The
/// tests and `voc bench transcribe` measure engines on it.
public struct SyntheticCall: Sendable {
    public struct Turn: Sendable, Equatable {
        public var speaker: SpeakerRole
        public var text: String
        public var startMs: Int
        public var endMs: Int
    }

    /// Stereo WAV, agent left, customer right.
    public var path: String
    public var turns: [Turn]
    public var durationMs: Int
    /// Stretches where nobody speaks (only low noise), longer than a second.
    public var silences: [Range<Int>]

    /// A short advisor call of the wealth business line, with the risk disclosure that
    /// Whisper base mishears without the domain prompt.
    public static let wealthCall: [(SpeakerRole, String)] = [
        (.agent, "Good morning, this is Anna from the wealth management team. How can I help you today?"),
        (.customer, "Hello, I would like to know more about the new fund you mentioned last week."),
        (.agent, "Before we continue, please note that this product is not a deposit and you may lose principal."),
        (.customer, "I understand the risk. Can I redeem my shares at any time?"),
        (.agent, "Yes, you can request a redemption on any working day."),
        (.customer, "Thank you, please send me the prospectus by email."),
    ]

    /// A credit card call about a double annual fee.
    public static let cardCall: [(SpeakerRole, String)] = [
        (.agent, "Thank you for calling the credit card service line, my name is David."),
        (.customer, "Hi, I was charged the annual fee twice on my last statement."),
        (.agent, "I am sorry about that. I can see the second charge and I will refund it today."),
        (.customer, "Great, will it show on my next statement?"),
        (.agent, "Yes, the refund will appear on your next statement."),
        (.customer, "Perfect, thanks for your help."),
    ]

    /// The synthetic set of the benchmark: business line and turns of each call.
    public static let benchmarkSet: [(businessLine: String, turns: [(SpeakerRole, String)])] = [
        ("wealth", wealthCall), ("credit_card", cardCall),
    ]

    public struct Voice: Sendable {
        public var agent = "en-us"
        public var customer = "en-us"
        /// Words per minute.
        public var speed = 150
        public init() {}
    }

    /// Synthesises the call into `folder`.
    /// - Parameters:
    ///   - turns: who says what, in order.
    ///   - gapMs: silence between turns; the gap after the third turn is `longGapMs`.
    ///   - noiseDb: level (dBFS RMS) of the white noise under the whole call.
    /// - Throws: ``TranscribeError/Code/toolFailed`` when espeak-ng or sox fails.
    public static func make(in folder: String, turns: [(SpeakerRole, String)] = wealthCall, voice: Voice = Voice(),
                            leadMs: Int = 800, gapMs: Int = 1_200, longGapMs: Int = 4_000, noiseDb: Double = -55,
                            name: String = "call") throws(TranscribeError) -> SyntheticCall {
        let espeak = try tool("espeak-ng"), sox = try tool("sox")
        let rate = PCMAudio.sampleRate
        var left: [Float] = [Float](repeating: 0, count: rate * leadMs / 1000)
        var right = left
        var placed: [Turn] = []
        var silences: [Range<Int>] = []
        for (index, (speaker, text)) in turns.enumerated() {
            let raw = "\(folder)/\(name)-turn\(index).wav", resampled = "\(folder)/\(name)-turn\(index)-16k.wav"
            let spoken = speaker == .agent ? voice.agent : voice.customer
            try run([espeak, "-v", spoken, "-s", "\(voice.speed)", "-w", raw, text])
            // -R -D: no random dither, so the same call comes out byte for byte every time.
            try run([sox, "-R", "-D", raw, "-r", "\(rate)", "-c", "1", "-b", "16", resampled])
            let samples = try readMonoWAV(resampled)
            let start = left.count
            if speaker == .agent {
                left += samples
                right += [Float](repeating: 0, count: samples.count)
            } else {
                right += samples
                left += [Float](repeating: 0, count: samples.count)
            }
            placed.append(Turn(speaker: speaker, text: text, startMs: start * 1000 / rate, endMs: left.count * 1000 / rate))
            let gap = index == 2 ? longGapMs : gapMs
            let gapStart = left.count
            left += [Float](repeating: 0, count: rate * gap / 1000)
            right += [Float](repeating: 0, count: rate * gap / 1000)
            if gap >= 1_000 { silences.append(gapStart * 1000 / rate..<left.count * 1000 / rate) }
        }
        // Low noise under everything, different on each channel, the same on every run.
        var generator = NoiseGenerator(seed: 0x5eed)
        let amplitude = Float(pow(10, noiseDb / 20) * 3.0.squareRoot())  // uniform noise: RMS = amplitude / √3
        for index in left.indices {
            left[index] += amplitude * generator.next()
            right[index] += amplitude * generator.next()
        }
        let leftPath = "\(folder)/\(name)-left.wav", rightPath = "\(folder)/\(name)-right.wav", path = "\(folder)/\(name).wav"
        do {
            try PCMAudio.wav(left).write(to: URL(fileURLWithPath: leftPath))
            try PCMAudio.wav(right).write(to: URL(fileURLWithPath: rightPath))
        } catch {
            throw TranscribeError(.toolFailed, "cannot write \(leftPath): \(error)")
        }
        try run([sox, "-R", "-D", "-M", leftPath, rightPath, path])
        return SyntheticCall(path: path, turns: placed, durationMs: left.count * 1000 / rate, silences: silences)
    }

    /// The call as mono (both channels mixed), for the unknown-speaker path.
    public func mono(in folder: String) throws(TranscribeError) -> String {
        let path = "\(folder)/\((self.path as NSString).lastPathComponent)-mono.wav"
        try Self.run([try Self.tool("sox"), "-R", "-D", self.path, "-c", "1", path])
        return path
    }

    /// The reference text of the whole call.
    public var referenceText: String { turns.map(\.text).joined(separator: " ") }

    static func tool(_ name: String) throws(TranscribeError) -> String {
        guard let path = ChildProcess.resolve(name) else {
            throw TranscribeError(.toolFailed, "\(name) is not installed (apt-get install espeak-ng sox)")
        }
        return path
    }

    static func run(_ argv: [String]) throws(TranscribeError) {
        guard let result = ChildProcess.run(argv) else { throw TranscribeError(.toolFailed, "cannot start \(argv[0])") }
        guard result.status == 0 else {
            throw TranscribeError(.toolFailed, "\(argv[0]) failed (exit \(result.status)): \(result.output.suffix(300))")
        }
    }

    /// Samples of a 16-bit mono WAV file.
    static func readMonoWAV(_ path: String) throws(TranscribeError) -> [Float] {
        guard let data = FileManager.default.contents(atPath: path), data.count > 12 else {
            throw TranscribeError(.toolFailed, "cannot read \(path)")
        }
        let bytes = [UInt8](data)
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            if id == "data" {
                let end = min(bytes.count, offset + 8 + size)
                return PCMAudio(interleavedS16LE: Data(bytes[(offset + 8)..<end]), channelCount: 1).channels[0]
            }
            offset += 8 + size + (size & 1)
        }
        throw TranscribeError(.toolFailed, "\(path) has no data chunk")
    }
}

/// A small deterministic generator of uniform noise in -1...1 (xorshift).
struct NoiseGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 1 : seed }

    mutating func next() -> Float {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Float(Double(state >> 11) / Double(1 << 53)) * 2 - 1
    }
}
