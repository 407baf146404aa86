import CMosquitto
import Synchronization
import WokSystem

/// Burner changes as the MQTT subscriber saw them: (monotonic time, on). Outside main.swift on
/// purpose: libmosquitto calls back on its own thread, and code in main.swift belongs to the main actor.
let seenOnBroker = Mutex<[(Double, Bool)]>([])

/// Records each change of the burner in the state messages that arrive.
func observeBurner(_ handle: OpaquePointer) {
    mosquitto_message_callback_set(handle) { _, _, message in
        guard let message, let payload = message.pointee.payload else { return }
        let now = monotonicSeconds()
        let text = String(decoding: UnsafeRawBufferPointer(start: payload, count: Int(message.pointee.payloadlen)), as: UTF8.self)
        let on = text.contains("\"burner\":\"ON\"")
        seenOnBroker.withLock { seen in
            if seen.last?.1 != on { seen.append((now, on)) }
        }
    }
}
