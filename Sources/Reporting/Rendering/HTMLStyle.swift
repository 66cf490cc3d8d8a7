/// The report's one inline stylesheet: screen (light, or dark by `prefers-color-scheme`) and print (always light,
/// A4 portrait, every section expanded, findings kept whole on a page). No `url()`, no fonts to fetch.
///
/// Printed, every table fits the page width: a cell breaks only between words (so a short first column such as a
/// control id is never squeezed to one letter per line), while ids and links, the long unbreakable tokens, may break
/// anywhere, so the widest column gives way instead of running past the margin.
enum HTMLStyle {
    static var css: String {
        """
        :root{\(HTMLPalette.variables(HTMLPalette.light));color-scheme:light dark}
        @media (prefers-color-scheme:dark){:root{\(HTMLPalette.variables(HTMLPalette.dark))}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        a{color:var(--link)}
        a:focus-visible,summary:focus-visible{outline:3px solid var(--link);outline-offset:2px}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.25rem .5rem}
        .page{max-width:1280px;margin:0 auto;padding:1rem 1.25rem 3rem}
        header.top{border-bottom:1px solid var(--line);padding-bottom:.5rem}
        h1{font-size:1.45rem;margin:.2rem 0}
        h2{font-size:1.25rem;margin:2rem 0 .5rem;padding-top:.5rem;border-top:1px solid var(--line)}
        h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
        .meta{color:var(--muted);margin:.2rem 0 .5rem;font-size:.9rem}
        .verdict{margin:.4rem 0;padding:.5rem .75rem;border-left:6px solid var(--muted);background:var(--panel);font-size:1.02rem}
        .verdict-action-required{border-left-color:#b3261e;background:var(--alert)}
        .verdict-attention-needed{border-left-color:#8a4b08;background:var(--warn)}
        .counts{display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;align-items:flex-start;margin:.4rem 0}
        .counts table{margin:0}
        .counts caption{font-weight:600;text-align:left;font-size:.85rem;color:var(--muted)}
        .counts td,.counts th{padding:.15rem .45rem;text-align:center}
        .controls-strip{display:flex;flex-wrap:wrap;gap:.3rem .9rem;list-style:none;padding:0;margin:.3rem 0;font-size:.9rem}
        .badge{display:inline-block;padding:0 .45em;border:1px solid;border-radius:.3em;font-size:.8rem;font-weight:600;line-height:1.5;white-space:nowrap}
        \(HTMLPalette.badgeRules)
        nav.toc ol{columns:3 14rem;margin:.2rem 0;padding-left:1.4rem}
        nav.toc h2{border:0;margin-top:.8rem;padding:0;font-size:1rem}
        table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.88rem}
        caption{text-align:left;font-weight:600;padding:.2rem 0;caption-side:top}
        th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
        thead th{background:var(--panel)}
        tbody th{font-weight:600}
        .scroll{overflow-x:auto}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .muted{color:var(--muted)}
        .finding,.investigation{border:1px solid var(--line);border-radius:.4rem;padding:.2rem .9rem .6rem;margin:.8rem 0}
        .finding h3,.investigation h3{margin-top:.6rem}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .9rem;margin:.3rem 0}
        dl.facts dt{font-weight:600;color:var(--muted)}
        dl.facts dd{margin:0}
        details>summary{cursor:pointer;font-weight:600;margin:.3rem 0}
        ol.checklist{padding-left:1.4rem}
        ol.checklist li{margin:.3rem 0}
        .state{font-size:.75rem;font-weight:600;border:1px solid var(--muted);border-radius:.3em;padding:0 .35em;margin-right:.3em}
        .more{font-style:italic;color:var(--muted)}
        pre{background:var(--panel);border:1px solid var(--line);padding:.6rem;overflow-x:auto;font-size:.82rem;white-space:pre-wrap;overflow-wrap:anywhere}
        figure{margin:.5rem 0}
        figcaption{font-size:.85rem;color:var(--muted)}
        svg.chart{max-width:100%;height:auto;color:var(--fg)}
        svg.chart .bar-accounts{fill:var(--link)}
        svg.chart .seg-critical{fill:#7a0916}svg.chart .seg-high{fill:#b3261e}svg.chart .seg-medium{fill:#8a4b08}
        svg.chart .seg-low{fill:#1b5e96}svg.chart .seg-info{fill:var(--muted)}
        svg.chart .axis{stroke:var(--line)}
        footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
        @page{size:A4 portrait;margin:12mm 10mm}
        @media print{
        :root{\(HTMLPalette.variables(HTMLPalette.light));color-scheme:light}
        body{font-size:8.5pt;background:#fff;color:#000}
        .page{max-width:none;padding:0}
        .skip{display:none}
        a{color:inherit;text-decoration:none}
        .scroll{overflow:visible}
        table{font-size:7.5pt;width:100%;max-width:100%}
        th,td{overflow-wrap:break-word;word-break:normal;padding:.2rem .3rem}
        td code,th code,td a,th a{overflow-wrap:anywhere}
        .num,.badge{white-space:nowrap}
        .counts{display:block}.counts table{display:inline-table;width:auto;margin:0 .6rem .4rem 0}
        thead{display:table-header-group}
        tr,.finding,.investigation,figure,dl.facts{break-inside:avoid}
        h2,h3,caption{break-after:avoid}
        h2{break-before:auto}
        details>summary{list-style:none}
        details::details-content{content-visibility:visible;display:block}
        pre{white-space:pre-wrap}
        nav.toc ol{columns:2}
        }
        """
    }
}
