// Reading the report's SVG and HTML back: what the report tests check its marks against.

import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A parsed XML document: its root element and every element with its
/// attributes and text, in document order. Parsing fails on malformed XML.
package struct XMLDocumentSummary {
  package struct Element {
    package var name: String
    package var attributes: [String: String]
    package var text: String
  }

  package var root: String
  package var elements: [Element]

  package init(_ text: String) throws {
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    guard parser.parse() else {
      throw ParseError(message: parser.parserError.map { "\($0)" } ?? "malformed XML", line: parser.lineNumber)
    }
    root = collector.elements.first?.name ?? ""
    elements = collector.elements
  }

  package func elements(class name: String) -> [Element] {
    elements.filter { $0.attributes["class"] == name }
  }

  package struct ParseError: Error {
    package var message: String
    package var line: Int
  }

  private final class Collector: NSObject, XMLParserDelegate {
    var elements: [Element] = []
    var open: [Int] = []

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      open.append(elements.count)
      elements.append(Element(name: name, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      open.removeLast()
    }
  }
}
