package dev.weft.bench.flags;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The report's charts, one horizontal bar per client, drawn headless with JFreeChart as PNGs. */
final class FlagsChart {
    private FlagsChart() {
    }

    /** A chart of one value per client (in the map's order), under these series' names. */
    static void bars(Path png, String title, String axis, Map<String, double[]> valuesByClient, String... series)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        valuesByClient.forEach((client, values) -> {
            for (int i = 0; i < series.length; i++) {
                if (!Double.isNaN(values[i])) {
                    data.addValue(values[i], series[i], client);
                }
            }
        });
        JFreeChart chart = ChartFactory.createBarChart(title, null, axis, data, PlotOrientation.HORIZONTAL,
                series.length > 1, false, false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 120 + 45 * valuesByClient.size());
    }
}
