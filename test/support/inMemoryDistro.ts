/**
 * A stand-in for @azure/monitor-opentelemetry that records spans in memory: the same
 * registration the distro makes (a NodeTracerProvider through the distro's own API copy,
 * the HTTP instrumentation with the options startTelemetry passes, our span processors
 * ahead of the exporter), minus Application Insights.
 */
import { createRequire } from 'node:module';
import type { AzureMonitorDistro, AzureMonitorOptions } from '../../src/telemetry/otel';
import type { OtelApi } from '../../src/telemetry/tracing';

/** What a test reads of a finished span. */
export interface RecordedSpan {
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes?: Record<string, unknown> }>;
  status: { code: number; message?: string };
  spanContext(): { traceId: string; spanId: string };
  instrumentationScope?: { name: string };
}

interface Exporter {
  getFinishedSpans(): RecordedSpan[];
  reset(): void;
}

interface Provider {
  register(): void;
  shutdown(): Promise<void>;
}

interface Instrumentation {
  setTracerProvider(provider: Provider): void;
  enable(): void;
  disable(): void;
}

// The SDK packages sit under the distro, not in package.json: load the distro's own copies.
const fromDistro = createRequire(require.resolve('@azure/monitor-opentelemetry'));
const sdkNode = fromDistro('@opentelemetry/sdk-trace-node') as { NodeTracerProvider: new (config: object) => Provider };
const sdkBase = fromDistro('@opentelemetry/sdk-trace-base') as {
  InMemorySpanExporter: new () => Exporter;
  SimpleSpanProcessor: new (exporter: Exporter) => object;
};
const resources = fromDistro('@opentelemetry/resources') as { resourceFromAttributes(a: Record<string, string>): unknown };
const distroApi = fromDistro('@opentelemetry/api') as OtelApi;
const { HttpInstrumentation } = fromDistro('@opentelemetry/instrumentation-http') as { HttpInstrumentation: new (config: object) => Instrumentation };

export interface InMemoryDistro extends AzureMonitorDistro {
  exporter: Exporter;
  /** What startTelemetry passed to useAzureMonitor. */
  options: AzureMonitorOptions | undefined;
}

export function inMemoryDistro(): InMemoryDistro {
  const exporter = new sdkBase.InMemorySpanExporter();
  let provider: Provider | undefined;
  let http: Instrumentation | undefined;
  const distro: InMemoryDistro = {
    exporter,
    options: undefined,
    api: distroApi,
    resourceFromAttributes: (a) => resources.resourceFromAttributes(a),
    useAzureMonitor(options) {
      distro.options = options;
      provider = new sdkNode.NodeTracerProvider({
        resource: options.resource,
        spanProcessors: [...options.spanProcessors, new sdkBase.SimpleSpanProcessor(exporter)],
      });
      provider.register();
      if (options.instrumentationOptions.http.enabled) {
        http = new HttpInstrumentation(options.instrumentationOptions.http);
        http.setTracerProvider(provider);
        http.enable();
        // Mocha loaded http and https (with every spec file) before this ran; production
        // starts telemetry before the app loads them. The instrumentation patches a module
        // when it is next required, so require them once more.
        /* eslint-disable @typescript-eslint/no-require-imports -- see above */
        require('http');
        require('https');
        /* eslint-enable @typescript-eslint/no-require-imports */
      }
    },
    async shutdownAzureMonitor() {
      http?.disable();
      await provider?.shutdown();
      distroApi.trace.disable();
      distroApi.context.disable();
      distroApi.propagation.disable();
    },
  };
  return distro;
}
