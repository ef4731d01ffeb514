/**
 * Drawing the affiliate graph with Cytoscape.js (loaded with the graph page only): a
 * force-directed layout, enterprises, people and public bodies in their own shapes, flagged subjects outlined, ultimate controllers starred and ringed in
 * gold, the paths behind related-party risk in red.
 */
import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import { edgeLabel, nodeLabel, type GraphModel } from "./model.js";

/** The colour of a highlighted risk path (the browser test looks for it on the canvas). */
export const RISK_COLOUR = "#ff3b30";

const STYLE: cytoscape.StylesheetJson = [
  { selector: "node", style: { label: "data(label)", "font-size": 12, "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": "140px", color: "#1f2937", width: 30, height: 30, "border-width": 1, "border-color": "#ffffff" } },
  { selector: "node.enterprise", style: { shape: "round-rectangle", "background-color": "#3b82f6" } },
  { selector: "node.person", style: { shape: "ellipse", "background-color": "#10b981" } },
  { selector: "node.body", style: { shape: "diamond", "background-color": "#8b5cf6" } },
  { selector: "node.unregistered", style: { "background-opacity": 0.55 } },
  { selector: "node.root", style: { width: 48, height: 48, "background-color": "#1e3a8a", "font-weight": "bold", "font-size": 13 } },
  { selector: "node.flagged", style: { "border-width": 3, "border-color": "#9f1239" } },
  { selector: "node.controller", style: { "border-width": 6, "border-color": "#f59e0b", "border-style": "double" } },
  { selector: "node.risk.show-risk", style: { "underlay-color": RISK_COLOUR, "underlay-padding": 7, "underlay-opacity": 0.3, "underlay-shape": "ellipse" } },
  { selector: "node:selected", style: { "overlay-color": "#0f172a", "overlay-opacity": 0.15 } },
  { selector: "edge", style: { width: 1.5, "line-color": "#94a3b8", "target-arrow-color": "#94a3b8", "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)", "font-size": 9, color: "#475569", "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.8 } },
  { selector: "edge.risk.show-risk", style: { width: 5, "line-color": RISK_COLOUR, "target-arrow-color": RISK_COLOUR, "z-index": 10 } },
];

export function elementsOf(model: GraphModel, showRisk: boolean): ElementDefinition[] {
  const nodes: ElementDefinition[] = [...model.nodes.values()].map((n) => ({
    group: "nodes",
    data: { id: n.id, label: nodeLabel(n), distance: n.distance },
    classes: [n.kind, n.root && "root", !n.registered && "unregistered", n.flags.length && "flagged", n.controller && "controller", n.risk && "risk", showRisk && "show-risk"].filter(Boolean).join(" "),
  }));
  const edges: ElementDefinition[] = [...model.edges.values()].map((e) => ({
    group: "edges",
    data: { id: e.id, source: e.source, target: e.target, label: edgeLabel(e) },
    classes: [e.risk && "risk", showRisk && "show-risk"].filter(Boolean).join(" "),
  }));
  return [...nodes, ...edges];
}

export function createGraph(container: HTMLElement, onSelect: (id: string | null) => void): Core {
  const cy = cytoscape({ container, style: STYLE, minZoom: 0.2, maxZoom: 3 });
  cy.on("tap", "node", (e) => onSelect(e.target.id()));
  cy.on("tap", (e) => { if (e.target === cy) onSelect(null); });
  return cy;
}

/** Replaces the drawing with the model's elements, laid out by Cytoscape's force-directed layout (built in). */
export function draw(cy: Core, model: GraphModel, showRisk: boolean): void {
  const positions = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
  cy.elements().remove();
  cy.add(elementsOf(model, showRisk));
  // Switching the highlight keeps the picture; new nodes (a filter, an expansion) lay it out again.
  if (cy.nodes().toArray().every((n) => positions.has(n.id()))) {
    cy.nodes().forEach((n) => { n.position(positions.get(n.id())!); });
    return;
  }
  cy.layout({ name: "cose", animate: false, padding: 30, idealEdgeLength: () => 80, nodeRepulsion: () => 5000, nodeDimensionsIncludeLabels: true }).run();
}
