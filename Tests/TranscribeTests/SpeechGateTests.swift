import Foundation
import Testing
@testable import Transcribe

@Suite("Energy gate")
struct SpeechGateTests {
    let rate = 16_000

    /// Low noise for `seconds`, with loud voiced bursts at the given (start, end) seconds.
    func signal(seconds: Double, bursts: [(Double, Double)], noiseDb: Double = -60) -> [Float] {
        var noise = NoiseGenerator(seed: 7)
        let amplitude = Float(pow(10, noiseDb / 20) * 3.0.squareRoot())
        var samples = (0..<Int(seconds * Double(rate))).map { _ in amplitude * noise.next() }
        for (start, end) in bursts {
            for index in Int(start * Double(rate))..<Int(end * Double(rate)) {
                let t = Double(index) / Double(rate)
                // A 180 Hz tone with a 4 Hz syllable-like envelope that never quite closes.
                samples[index] += Float(0.3 * sin(2 * .pi * 180 * t) * (0.6 + 0.4 * sin(2 * .pi * 4 * t)))
            }
        }
        return samples
    }

    @Test("finds the bursts, padded, and nothing in the low noise between them")
    func regions() {
        let gate = SpeechGate()
        let found = gate.regions(signal(seconds: 10, bursts: [(1, 3), (6, 7.5)]))
        #expect(found.count == 2)
        let padding = Double(gate.settings.paddingMs) / 1000
        for (region, burst) in zip(found, [(1.0, 3.0), (6.0, 7.5)]) {
            let start = Double(region.lowerBound) / Double(rate), end = Double(region.upperBound) / Double(rate)
            #expect(abs(start - (burst.0 - padding)) < 0.03, "start \(start)")
            #expect(abs(end - (burst.1 + padding)) < 0.03, "end \(end)")
        }
    }

    @Test("silence and low noise alone give nothing to transcribe")
    func silence() {
        let gate = SpeechGate()
        #expect(gate.regions(signal(seconds: 5, bursts: [])).isEmpty)
        #expect(gate.regions([Float](repeating: 0, count: rate * 3)).isEmpty)
        let gated = gate.gate(signal(seconds: 5, bursts: [], noiseDb: -55))
        #expect(gated.samples.isEmpty)
        #expect(gated.droppedMs == 5_000)
    }

    @Test("short clicks are dropped; short pauses inside speech are kept")
    func clicksAndPauses() {
        let gate = SpeechGate()
        #expect(gate.regions(signal(seconds: 4, bursts: [(1, 1.04)])).isEmpty)
        let joined = gate.regions(signal(seconds: 6, bursts: [(1, 2), (2.2, 3)]))
        #expect(joined.count == 1)
    }

    @Test("times in the gated audio map back to the recording's own")
    func timeMap() throws {
        let gate = SpeechGate()
        let samples = signal(seconds: 20, bursts: [(2, 4), (15, 16)])
        let gated = gate.gate(samples)
        #expect(gated.pieces.count == 2)
        let second = gated.pieces[1]
        let secondGatedMs = second.gatedStart * 1000 / rate
        // 300 ms into the second region is 14.8 + 0.3 s into the recording.
        let mapped = try #require(gated.originalSpan(startMs: secondGatedMs + 300, endMs: secondGatedMs + 600))
        #expect(abs(mapped.startMs - 15_100) <= 2)
        #expect(abs(mapped.endMs - 15_400) <= 2)
        // A word the engine stretched from the end of the first region over the
        // separator stays in the first region.
        let firstEnd = (gated.pieces[0].gatedStart + gated.pieces[0].length) * 1000 / rate
        let stretched = try #require(gated.originalSpan(startMs: firstEnd - 400, endMs: firstEnd + 700))
        #expect(stretched.endMs <= 4_200 + 1)
        #expect(stretched.startMs >= 3_700)
        #expect(gated.keptMs + gated.droppedMs >= 19_990)
        // A word wholly inside the inserted silence was made up by the engine.
        #expect(gated.originalSpan(startMs: firstEnd + 200, endMs: firstEnd + 700) == nil)
    }
}
