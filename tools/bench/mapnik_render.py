#!/usr/bin/python3
"""Mapnik peer of `borderlens render --bare` for tools/bench/run B6.

Usage: tools/bench/mapnik_render.py --points PEER.gpkg --to OUT.png
           [--bbox W,S,E,N] [--size WxH] [--base geodata/base.gpkg] [--style assets/style.json]

Draws what `borderlens render DB --bare --bbox ... --size ...` draws, with the same style file,
into a PNG in EPSG:3857: background, the base layers of geodata/base.gpkg at the level of detail
borderlens picks for that zoom (land, lakes, admin1, coastline, borders, rivers), the incidents of
a GeoPackage (the one B1's ogr2ogr writes) as markers coloured and sized by kind, and the labels
of towns, crossings, ports and larger places. The view is borderlens' Camera::fit: the box's
centre, 40 px padding, square pixels. Base layers and points go through Mapnik's ogr input plugin.
What is not the same (marker shapes, label placement, place dots) is listed in tools/bench/README.md.
Runs on Debian's /usr/bin/python3 (python3-mapnik), not a virtualenv's.
"""
import argparse
import json
import math
import os
import sys
from xml.sax.saxutils import escape, quoteattr

import mapnik

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EARTH_RADIUS_M = 6378137.0
MIN_ZOOM, MAX_ZOOM = 0.0, 19.0  # render::Camera's clamp
PADDING_PX = 40                 # runRender's Camera::fit padding
MERCATOR = "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"
LONLAT = "+proj=longlat +datum=WGS84 +no_defs"
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # render::kDefaultFont
LABEL_LAYERS = [  # (style key, base.gpkg layer, name field, extra filter), by borderlens' label priority
    ("town", "towns", "name_en", None),
    ("crossing", "crossings", "name_en", None),
    ("port", "ports", "name_en", None),
    ("place", "places", "name", "[population] >= 100000"),
]


def mercator(lon, lat):
    lat = max(-85.05112878, min(85.05112878, lat))
    return (math.radians(lon) * EARTH_RADIUS_M,
            math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * EARTH_RADIUS_M)


def view(bbox, width, height):
    """borderlens' render::Camera::fit: returns (zoom, Mercator extent of the image)."""
    x0, y0 = mercator(bbox[0], bbox[1])
    x1, y1 = mercator(bbox[2], bbox[3])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    mpp = max((x1 - x0) / max(1.0, width - 2 * PADDING_PX), (y1 - y0) / max(1.0, height - 2 * PADDING_PX), 0.05)
    zoom = min(MAX_ZOOM, max(MIN_ZOOM, math.log2(2 * math.pi * EARTH_RADIUS_M / (256.0 * mpp))))
    mpp = 2 * math.pi * EARTH_RADIUS_M / (256.0 * 2 ** zoom)
    hw, hh = width * mpp / 2, height * mpp / 2
    return zoom, (cx - hw, cy - hh, cx + hw, cy + hh)


def colour(text):
    """#rrggbb or #rrggbbaa (style.json) as a Mapnik colour."""
    h = text.lstrip("#")
    r, g, b = int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    a = int(h[6:8], 16) / 255.0 if len(h) == 8 else 1.0
    return "rgba(%d,%d,%d,%.3f)" % (r, g, b, a)


def ogr(path, layer):
    return ('<Datasource><Parameter name="type">ogr</Parameter><Parameter name="file">%s</Parameter>'
            '<Parameter name="layer">%s</Parameter></Datasource>' % (escape(path), escape(layer)))


def layer(name, style, datasource):
    return '<Layer name=%s srs=%s><StyleName>%s</StyleName>%s</Layer>' % (
        quoteattr(name), quoteattr(LONLAT), escape(style), datasource)


def map_xml(style, args, zoom):
    lod = next(l["suffix"] for l in style["lod"] if zoom <= l["max_zoom"])
    styles, layers = [], []
    for i, base in enumerate(style["base"]):
        if zoom < base.get("min_zoom", 0):
            continue
        table = base["layer"] + ("_" + lod if base.get("lod", True) else "")
        if base["kind"] == "fill":
            sym = '<PolygonSymbolizer fill="%s"/>' % colour(base["color"])
        else:
            sym = '<LineSymbolizer stroke="%s" stroke-width="%g" stroke-linejoin="round" stroke-linecap="round"/>' % (
                colour(base["color"]), base["width"])
        styles.append('<Style name="base%d"><Rule>%s</Rule></Style>' % (i, sym))
        layers.append(layer(table, "base%d" % i, ogr(args.base, table)))

    # Incidents: render::symbolScale at this zoom times the kind's size. As in shaders/point.frag,
    # the symbol fills 0.78 of its sprite with a 1 px dark outline, and a coarse location (city
    # precision or coarser) is a hollow ring: a band 4 px wide, 2.5 px inside the edge.
    scale = min(1.0, max(0.45, 0.45 + (zoom - 5.0) * 0.11))
    kinds = style["incident_kinds"]
    precise = "([geo_precision] = 'exact' or [geo_precision] = 'street')"
    rules = []
    for kind, s in kinds.items():
        if kind == "other":
            of_kind = " and ".join("[kind] != '%s'" % k for k in kinds if k != "other")
        else:
            of_kind = "[kind] = '%s'" % kind
        d = s["size"] * scale * 0.78
        pin = ('<MarkersSymbolizer marker-type="ellipse" width="%.2f" height="%.2f" fill="%s" '
               'stroke="rgba(31,31,36,0.9)" stroke-width="1" allow-overlap="true" ignore-placement="true"/>'
               % (d, d, colour(s["color"])))
        ring = ('<MarkersSymbolizer marker-type="ellipse" width="%.2f" height="%.2f" fill="%s" fill-opacity="0.15" '
                'stroke="%s" stroke-width="4" allow-overlap="true" ignore-placement="true"/>'
                % (d - 5, d - 5, colour(s["color"]), colour(s["color"])))
        rules.append("<Rule><Filter>%s</Filter>%s</Rule>" % (escape("%s and %s" % (of_kind, precise)), pin))
        rules.append("<Rule><Filter>%s</Filter>%s</Rule>" % (escape("%s and not %s" % (of_kind, precise)), ring))
    styles.append('<Style name="incidents">%s</Style>' % "".join(rules))
    layers.append(layer("incidents", "incidents", ogr(args.points, args.points_layer)))

    for key, table, field, extra in LABEL_LAYERS:
        s = style["labels"][key]
        if zoom < s.get("min_zoom", 0):
            continue
        text = ('<TextSymbolizer face-name=%s size="%g" fill="%s" halo-fill="%s" halo-radius="1.5" '
                'placement="point" dy="-%d">[%s]</TextSymbolizer>'
                % (quoteattr(args.face), s["size"], colour(s["color"]), colour(s["halo"]), s["size"] // 2, field))
        rule = "<Rule>%s%s</Rule>" % ("<Filter>%s</Filter>" % escape(extra) if extra else "", text)
        styles.append('<Style name="label-%s">%s</Style>' % (key, rule))
        layers.append(layer("label-" + key, "label-" + key, ogr(args.base, table)))

    return ('<?xml version="1.0" encoding="utf-8"?><Map srs=%s background-color="%s">%s%s</Map>'
            % (quoteattr(MERCATOR), colour(style["background"]), "".join(styles), "".join(layers)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", required=True, help="GeoPackage with the incidents (kind column)")
    ap.add_argument("--points-layer", default="incidents")
    ap.add_argument("--to", required=True, help="output PNG")
    ap.add_argument("--bbox", default="121.2,38.4,131.0,43.2", help="W,S,E,N (default: borderlens' border region)")
    ap.add_argument("--size", default="4096x4096")
    ap.add_argument("--base", default=os.path.join(ROOT, "geodata", "base.gpkg"))
    ap.add_argument("--style", default=os.path.join(ROOT, "assets", "style.json"))
    args = ap.parse_args()
    try:
        bbox = [float(v) for v in args.bbox.split(",")]
        width, height = (int(v) for v in args.size.split("x"))
        if len(bbox) != 4 or width <= 0 or height <= 0:
            raise ValueError
    except ValueError:
        sys.exit("mapnik_render: bad --bbox '%s' or --size '%s'" % (args.bbox, args.size))
    for path in (args.points, args.base, args.style, FONT):
        if not os.path.exists(path):
            sys.exit("mapnik_render: %s: no such file" % path)
    with open(args.style, encoding="utf-8") as f:
        style = json.load(f)
    mapnik.register_fonts(os.path.dirname(FONT))
    faces = [f for f in mapnik.FontEngine.face_names() if "Micro Hei" in f and "Mono" not in f]
    if not faces:
        sys.exit("mapnik_render: Mapnik found no WenQuanYi Micro Hei face in %s" % os.path.dirname(FONT))
    args.face = faces[0]

    zoom, extent = view(bbox, width, height)
    m = mapnik.Map(width, height)
    mapnik.load_map_from_string(m, map_xml(style, args, zoom), True)
    m.zoom_to_box(mapnik.Box2d(*extent))
    image = mapnik.Image(width, height)
    mapnik.render(m, image)
    image.save(args.to, "png32")
    print("wrote %s (%dx%d, zoom %.2f, %d layers)" % (args.to, width, height, zoom, len(m.layers)))


if __name__ == "__main__":
    main()
