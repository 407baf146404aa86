/// Draws a `CookPlot` as a standalone SVG document: the temperature lines over stage bands,
/// marks for prompts and faults, the burner strip beneath, axes in minutes and °C, a legend.
public enum SVGRenderer {
    public static func render(_ plot: CookPlot, widthPixels: Double = 1000, heightPixels: Double = 560) -> String {
        let layout = Layout(plot: plot, width: widthPixels, height: heightPixels)
        var svg = SVGBuilder()
        svg.open(width: widthPixels, height: heightPixels)
        svg.add("<rect x=\"0\" y=\"0\" width=\"\(svgNumber(widthPixels))\" height=\"\(svgNumber(heightPixels))\" fill=\"#ffffff\"/>")
        // The legend shares the title's line, so both are cut to what fits beside each other.
        svg.text(clipped(plot.title, 60), x: layout.left, y: 22, size: 16, weight: "bold")
        if !plot.subtitle.isEmpty { svg.text(clipped(plot.subtitle, 150), x: layout.left, y: 42, size: 11, color: "#555555") }
        drawBands(plot, layout, &svg)
        drawGrid(layout, &svg)
        for line in plot.lines { drawLine(line, layout, &svg) }
        drawMarkers(plot, layout, &svg)
        drawStrips(plot, layout, &svg)
        drawLegend(plot, layout, &svg)
        drawMarkerLegend(plot, layout, &svg)
        svg.close()
        return svg.text
    }

    /// Where things go: the plotting area and the scales.
    struct Layout {
        let left = 64.0
        let right: Double
        let top = 64.0
        let bottom: Double
        let stripTop: Double
        let stripHeight = 14.0
        let stripGap = 6.0
        /// Where the time axis's numbers go: under the strips.
        let timeLabelY: Double
        let endSeconds: Double
        let lowC: Double
        let highC: Double

        init(plot: CookPlot, width: Double, height: Double) {
            right = width - 24
            let strips = Double(plot.strips.count)
            stripTop = height - 44 - strips * (stripHeight + stripGap)
            bottom = stripTop - 14
            timeLabelY = height - 30
            var end = 1.0
            var low = Double.infinity
            var high = -Double.infinity
            for line in plot.lines {
                for point in line.points {
                    end = max(end, point.timeSeconds)
                    if let value = point.valueC {
                        low = min(low, value)
                        high = max(high, value)
                    }
                }
            }
            for band in plot.bands { end = max(end, band.endSeconds) }
            if !low.isFinite { (low, high) = (0, 100) }
            // Round outwards to whole tens, with at least 40 °C of span so noise stays small.
            low = (low / 10).rounded(.down) * 10
            high = (high / 10).rounded(.up) * 10
            if high - low < 40 { high = low + 40 }
            endSeconds = end
            lowC = low
            highC = high
        }

        func x(_ seconds: Double) -> Double { left + (right - left) * min(max(seconds / endSeconds, 0), 1) }
        func y(_ celsius: Double) -> Double { bottom - (bottom - top) * (celsius - lowC) / (highC - lowC) }
    }

    static let bandFills = ["#eef3fb", "#fbf6ea"]

    static func drawBands(_ plot: CookPlot, _ layout: Layout, _ svg: inout SVGBuilder) {
        for (index, band) in plot.bands.enumerated() {
            let x0 = layout.x(band.startSeconds)
            let x1 = layout.x(band.endSeconds)
            guard x1 > x0 else { continue }
            svg.add(
                "<rect class=\"stage\" x=\"\(svgNumber(x0))\" y=\"\(svgNumber(layout.top))\" width=\"\(svgNumber(x1 - x0))\" height=\"\(svgNumber(layout.bottom - layout.top))\" fill=\"\(bandFills[index % 2])\"/>"
            )
            // The label sits at the band's top, cut to what fits.
            let fits = max(0, Int((x1 - x0 - 6) / 6))
            if fits >= 3 {
                let label = "\(index + 1) \(band.label)"
                svg.text(label.count > fits ? String(label.prefix(fits - 1)) + "…" : label, x: x0 + 3, y: layout.top + 12, size: 10, color: "#445566")
            }
        }
    }

    static func drawGrid(_ layout: Layout, _ svg: inout SVGBuilder) {
        let stepC = niceStep(span: layout.highC - layout.lowC, wanted: 8, candidates: [5, 10, 20, 25, 50, 100])
        var celsius = (layout.lowC / stepC).rounded(.up) * stepC
        while celsius <= layout.highC + 0.001 {
            let y = layout.y(celsius)
            svg.add(
                "<line x1=\"\(svgNumber(layout.left))\" y1=\"\(svgNumber(y))\" x2=\"\(svgNumber(layout.right))\" y2=\"\(svgNumber(y))\" stroke=\"#dddddd\" stroke-width=\"1\"/>"
            )
            svg.text(svgNumber(celsius), x: layout.left - 6, y: y + 4, size: 11, anchor: "end")
            celsius += stepC
        }
        let stepSeconds = niceStep(span: layout.endSeconds, wanted: 10, candidates: [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600])
        var seconds = 0.0
        while seconds <= layout.endSeconds + 0.001 {
            let x = layout.x(seconds)
            svg.add(
                "<line x1=\"\(svgNumber(x))\" y1=\"\(svgNumber(layout.bottom))\" x2=\"\(svgNumber(x))\" y2=\"\(svgNumber(layout.bottom + 4))\" stroke=\"#333333\" stroke-width=\"1\"/>"
            )
            svg.text(minutesText(seconds), x: x, y: layout.timeLabelY, size: 11, anchor: "middle")
            seconds += stepSeconds
        }
        // Axes.
        svg.add(
            "<path d=\"M\(svgNumber(layout.left)) \(svgNumber(layout.top)) V\(svgNumber(layout.bottom)) H\(svgNumber(layout.right))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>"
        )
        svg.text("temperature (°C)", x: 16, y: (layout.top + layout.bottom) / 2, size: 12, anchor: "middle", rotate: -90)
    }

    static func drawLine(_ line: PlotLine, _ layout: Layout, _ svg: inout SVGBuilder) {
        var path = ""
        var penDown = false
        for point in line.points {
            guard let value = point.valueC else {
                penDown = false
                continue
            }
            path += (penDown ? "L" : "M") + svgNumber(layout.x(point.timeSeconds)) + " " + svgNumber(layout.y(value))
            penDown = true
        }
        guard !path.isEmpty else { return }
        let dash = line.dashAttribute
        svg.add(
            "<path class=\"line\" data-label=\"\(xmlEscaped(line.label))\" d=\"\(path)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"\(svgNumber(line.widthPixels))\" stroke-linejoin=\"round\"\(dash)/>"
        )
    }

    static func drawMarkers(_ plot: CookPlot, _ layout: Layout, _ svg: inout SVGBuilder) {
        for marker in plot.markers {
            let x = layout.x(marker.timeSeconds)
            let color = marker.kind.color
            svg.add(
                "<line class=\"marker\" x1=\"\(svgNumber(x))\" y1=\"\(svgNumber(layout.top))\" x2=\"\(svgNumber(x))\" y2=\"\(svgNumber(layout.bottom))\" stroke=\"\(color)\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>"
            )
            let symbol = marker.kind.symbol
            svg.add(
                "<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(layout.top - 4))\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\" fill=\"\(color)\"><title>\(xmlEscaped(marker.label))</title>\(symbol)</text>"
            )
        }
    }

    static func drawStrips(_ plot: CookPlot, _ layout: Layout, _ svg: inout SVGBuilder) {
        for (row, strip) in plot.strips.enumerated() {
            let y = layout.stripTop + Double(row) * (layout.stripHeight + layout.stripGap)
            svg.add(
                "<rect x=\"\(svgNumber(layout.left))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(layout.right - layout.left))\" height=\"\(svgNumber(layout.stripHeight))\" fill=\"#f3f3f3\" stroke=\"#cccccc\" stroke-width=\"0.5\"/>"
            )
            for interval in strip.onIntervals {
                let x0 = layout.x(interval.startSeconds)
                let x1 = max(layout.x(interval.endSeconds), x0 + 0.6)
                svg.add(
                    "<rect x=\"\(svgNumber(x0))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(x1 - x0))\" height=\"\(svgNumber(layout.stripHeight))\" fill=\"\(strip.color)\"/>"
                )
            }
            svg.text(strip.label, x: layout.left - 6, y: y + layout.stripHeight - 3, size: 10, anchor: "end")
        }
        svg.text("time (min:s)", x: (layout.left + layout.right) / 2, y: layout.timeLabelY + 18, size: 12, anchor: "middle")
    }

    /// What each kind of mark on the chart means, for the kinds the chart has, under its left end.
    static func drawMarkerLegend(_ plot: CookPlot, _ layout: Layout, _ svg: inout SVGBuilder) {
        var x = layout.left
        for kind in PlotMarker.Kind.allCases where plot.markers.contains(where: { $0.kind == kind }) {
            let text = "\(kind.symbol) \(kind.legend)"
            svg.text(text, x: x, y: layout.timeLabelY + 18, size: 11, color: kind.color)
            x += Double(text.count) * 6 + 18
        }
    }

    static func drawLegend(_ plot: CookPlot, _ layout: Layout, _ svg: inout SVGBuilder) {
        var x = layout.right
        for line in plot.lines.reversed() {
            let width = Double(line.label.count) * 6.5 + 30
            x -= width
            let dash = line.dashAttribute
            svg.add(
                "<line x1=\"\(svgNumber(x))\" y1=\"18\" x2=\"\(svgNumber(x + 20))\" y2=\"18\" stroke=\"\(line.color)\" stroke-width=\"2\"\(dash)/>")
            svg.text(line.label, x: x + 24, y: 22, size: 11)
        }
    }
}

func clipped(_ text: String, _ characters: Int) -> String {
    text.count <= characters ? text : String(text.prefix(characters - 1)) + "…"
}

/// SVG text accumulated element by element.
struct SVGBuilder {
    private(set) var text = ""

    mutating func open(width: Double, height: Double) {
        text += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text +=
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\">\n"
    }

    mutating func close() { text += "</svg>\n" }

    mutating func add(_ element: String) { text += element + "\n" }

    mutating func text(
        _ content: String, x: Double, y: Double, size: Double, weight: String = "normal", color: String = "#222222",
        anchor: String = "start", rotate: Double? = nil
    ) {
        let transform = rotate.map { " transform=\"rotate(\(svgNumber($0)) \(svgNumber(x)) \(svgNumber(y)))\"" } ?? ""
        add(
            "<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" font-family=\"sans-serif\" font-size=\"\(svgNumber(size))\" font-weight=\"\(weight)\" fill=\"\(color)\" text-anchor=\"\(anchor)\"\(transform)>\(xmlEscaped(content))</text>"
        )
    }
}
