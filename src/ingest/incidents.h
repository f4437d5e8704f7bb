#pragma once

#include "core/progress.h"
#include "ingest/records.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace borderlens::ingest {

// The fields of an incident as the incidents CSV names them (docs/formats.md): id, kind, title,
// start, end, lon, lat, wkt, geo_precision, place, description, confidence, links,
// source_publisher, source_title, source_date, source_url. `--map FIELD=COLUMN` takes these.
const std::vector<std::string>& incidentFields();

// Incidents from
//  - the incidents CSV of docs/formats.md (a file named *.csv or *.txt);
//  - an ACLED export (CSV), recognised by its columns event_date, event_type, latitude and
//    longitude (and no kind column). Following ACLED's codebook:
//      event_date: YYYY-MM-DD, "31 January 2020", "31-01-2020" or "31/01/2020";
//      time_precision 1 (the actual date) → that day; 2 (some day in that week; the date is the
//        middle of the week) → the seven days around it; 3 (some day in that month) → the month;
//      geo_precision 1 (the named town; coordinates are its centroid) → city; 2 (near a town, or
//        a small part of a region, coded to a town) → province, as the event may lie well
//        outside the town; 3 (a larger region, coded to a natural location or the provincial
//        capital) → region; absent → city;
//      sub_event_type "Arrests" → investigation; "Disrupted weapons use" (which ACLED uses for
//        seized weapons caches) → seizure; every other event → other;
//      title "<sub_event_type> in <location>"; place "location, admin1, country"; notes →
//        description; each `;`-separated name in source → a source (publisher); event_id_cnty,
//        else data_id → id;
//  - GeoJSON and any vector source GDAL/OGR reads (GeoPackage, KML, Shapefile, FlatGeobuf, …),
//    every layer. The geometry is the layer's, reprojected to EPSG:4326 lon/lat, or else from
//    lon/lat or wkt fields. A feature without an id field is known by its FID. In KML, OGR's
//    begin (else timestamp) stands for start and name for title unless the file has, or the
//    map names, those fields. OGR reads KML times as instants: "2017-08" arrives as 2017-08-01,
//    and a bare year in <when> is lost, so KML start/end are day-precision dates.
// `fieldMap` maps our field names to the file's columns (case-insensitive), for any of these
// forms. An unknown field name throws core::UsageError; a mapped column the file lacks, a missing
// required column (id, kind, title, start, geo_precision, and lon+lat or wkt; with any source
// column, source_publisher, source_title and source_url), or a file that cannot be read throws
// core::InputRejected naming the file and the column.
// Each bad row or feature is a Rejected entry (file:line, or file and feature id, and why). An
// incident is sourced by its source_* columns (ACLED: its source column); without them the file
// itself — the import's list source — is its only source, and a warning says how many are so.
ParseResult parseIncidents(const std::string& path,
                           const std::map<std::string, std::string>& fieldMap,
                           const core::Progress& progress);

// Receives a streamed parse: `header` once, with the result's format and list source, before any
// incident; then `incident` for each accepted incident, in file order. Either returns false to
// stop the reading, which then returns what it has.
struct IncidentSink {
  std::function<bool(const ParseResult& header)> header;
  std::function<bool(IncidentRecord&& record)> incident;
};

// parseIncidents() handing each accepted incident to `sink` as soon as it is read, so that an
// import writes while it reads and never holds them all: the result has everything else
// (rejected rows, warnings, counts) and no incidents.
ParseResult parseIncidents(const std::string& path,
                           const std::map<std::string, std::string>& fieldMap,
                           const core::Progress& progress, const IncidentSink& sink);

} // namespace borderlens::ingest
