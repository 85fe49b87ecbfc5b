import Foundation

/// Decoded audio at 16 kHz, one array of samples (-1...1) per channel.
public struct PCMAudio: Sendable {
    public static let sampleRate = 16_000
    public var channels: [[Float]]

    public init(channels: [[Float]]) {
        self.channels = channels
    }

    public var frameCount: Int { channels.first?.count ?? 0 }
    public var durationMs: Int { frameCount * 1000 / Self.sampleRate }

    /// Splits interleaved little-endian 16-bit PCM into channels.
    public init(interleavedS16LE data: Data, channelCount: Int) {
        let count = max(1, channelCount)
        let frames = data.count / (2 * count)
        var channels = Array(repeating: [Float](repeating: 0, count: frames), count: count)
        data.withUnsafeBytes { raw in
            for frame in 0..<frames {
                for channel in 0..<count {
                    let offset = (frame * count + channel) * 2
                    let value = Int16(bitPattern: UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8)
                    channels[channel][frame] = Float(value) / 32768
                }
            }
        }
        self.channels = channels
    }

    /// Whether the two channels of a stereo recording carry the same signal (a mono call
    /// saved as stereo): then it must not be transcribed twice.
    public var channelsAreIdentical: Bool {
        guard channels.count == 2, frameCount > 0 else { return false }
        let left = channels[0], right = channels[1]
        var difference: Float = 0, energy: Float = 0
        for index in 0..<frameCount {
            let delta = left[index] - right[index]
            difference += delta * delta
            energy += left[index] * left[index] + right[index] * right[index]
        }
        return energy == 0 ? true : difference / energy < 1e-4
    }

    /// A mono WAV file (16 kHz, 16-bit PCM) of `samples`.
    public static func wav(_ samples: [Float]) -> Data {
        var data = Data(capacity: 44 + samples.count * 2)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        let bytes = UInt32(samples.count * 2)
        data.append(contentsOf: Array("RIFF".utf8)); append(36 + bytes)
        data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); append(UInt32(16)); append(UInt16(1)); append(UInt16(1))
        append(UInt32(sampleRate)); append(UInt32(sampleRate * 2)); append(UInt16(2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8)); append(bytes)
        for sample in samples {
            append(Int16(max(-1, min(1, sample)) * 32767))
        }
        return data
    }
}
