import { FetchOpenAIModel } from './__fixtures__/fetch-openai-model.js';
import { describeLanguageModelConformance } from './describe-language-model-conformance.js';

describeLanguageModelConformance('FetchOpenAIModel (reference fixture)', {
  provider: 'openai',
  createModel: (server, { timeoutMs }) =>
    new FetchOpenAIModel({
      baseURL: server.openaiBaseURL,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    }),
});
