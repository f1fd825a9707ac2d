import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import type { Difficulty, DocumentRecord, QuestionType, Quiz, QuizQuestion, QuizResults, QuizSummary, Submission } from '../api/types.js';
import { useAction, useApi, useLoad } from '../app-context.js';
import { ErrorMessage, Loading } from '../components/error-message.js';

const TYPE_LABELS: Record<QuestionType, string> = {
  multiple_choice: 'Multiple choice',
  true_false: 'True or false',
  short_answer: 'Short answer',
};

export function QuizzesScreen({ preselect }: { preselect?: number }) {
  const api = useApi();
  const [, navigate] = useLocation();
  const quizzes = useLoad((signal) => api.list<QuizSummary>('/api/v1/quizzes', { query: { limit: 100 }, signal }), [api]);
  const documents = useLoad((signal) => api.list<DocumentRecord>('/api/v1/documents', { query: { status: 'completed', limit: 100 }, signal }), [api]);
  const [documentId, setDocumentId] = useState<string>(preselect ? String(preselect) : '');
  const [count, setCount] = useState(5);
  const [difficulty, setDifficulty] = useState<Difficulty>('medium');
  const [types, setTypes] = useState<QuestionType[]>(['multiple_choice', 'true_false', 'short_answer']);
  const generate = useAction(async () => {
    const quiz = await api.post<Quiz>('/api/v1/quizzes/generate', {
      json: { document_id: Number(documentId), num_questions: count, difficulty, question_types: types },
    });
    navigate(`/quizzes/${quiz.id}`);
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void generate.run();
  };
  const titles = new Map(documents.data?.data.map((d) => [d.id, d.title]));

  return (
    <>
      <h1>Quizzes</h1>
      <form onSubmit={onSubmit} className="card" aria-labelledby="gen-heading">
        <h2 id="gen-heading">Make a quiz</h2>
        <ErrorMessage error={documents.error} />
        <label>
          From the document
          <select required value={documentId} onChange={(e) => setDocumentId(e.target.value)}>
            <option value="">Choose a document…</option>
            {documents.data?.data.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Number of questions
          <input type="number" min={1} max={20} required value={count} onChange={(e) => setCount(Number(e.target.value))} />
        </label>
        <label>
          Difficulty
          <select value={difficulty} onChange={(e) => setDifficulty(e.target.value as Difficulty)}>
            <option value="easy">Easy</option>
            <option value="medium">Medium</option>
            <option value="hard">Hard</option>
          </select>
        </label>
        <fieldset>
          <legend>Kinds of question</legend>
          {(Object.keys(TYPE_LABELS) as QuestionType[]).map((t) => (
            <label key={t} className="check">
              <input
                type="checkbox"
                checked={types.includes(t)}
                onChange={() => setTypes((all) => (all.includes(t) ? all.filter((x) => x !== t) : [...all, t]))}
              />{' '}
              {TYPE_LABELS[t]}
            </label>
          ))}
        </fieldset>
        <ErrorMessage error={generate.error} />
        <button type="submit" disabled={generate.busy || !documentId || types.length === 0}>
          {generate.busy ? 'Writing the questions…' : 'Make the quiz'}
        </button>
      </form>
      <section aria-labelledby="quiz-list-heading">
        <h2 id="quiz-list-heading">Your quizzes</h2>
        <ErrorMessage error={quizzes.error} />
        {!quizzes.data && !quizzes.error && <Loading what="quizzes" />}
        {quizzes.data?.data.length === 0 && <p className="muted">No quizzes yet.</p>}
        <ul className="plain-list">
          {quizzes.data?.data.map((q) => (
            <li key={q.id}>
              <Link href={`/quizzes/${q.id}`}>{q.title}</Link>{' '}
              <span className="muted small">
                {q.total_questions} questions · {q.difficulty}
                {q.document_id !== null && titles.get(q.document_id) ? ` · ${titles.get(q.document_id)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

type Answers = Record<number, string>;

export function QuizScreen({ id }: { id: number }) {
  const api = useApi();
  const quiz = useLoad((signal) => api.get<Quiz>(`/api/v1/quizzes/${id}`, { signal }), [api, id]);
  const past = useLoad((signal) => api.get<QuizResults>(`/api/v1/quizzes/${id}/results`, { signal }), [api, id]);
  const [mode, setMode] = useState<'one' | 'all'>('one');
  const [index, setIndex] = useState(0);
  const [answers, setAnswers] = useState<Answers>({});
  const [result, setResult] = useState<Submission | null>(null);
  const submit = useAction(async () => {
    const body = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v]));
    setResult(await api.post<Submission>(`/api/v1/quizzes/${id}/submit`, { json: { answers: body } }));
    past.reload();
  });

  if (quiz.error) return <ErrorMessage error={quiz.error} />;
  if (!quiz.data) return <Loading what="the quiz" />;
  const q = quiz.data;
  const questions = [...q.questions].sort((a, b) => a.position - b.position);
  const current = questions[Math.min(index, questions.length - 1)];
  const answered = questions.filter((x) => (answers[x.id] ?? '').trim() !== '').length;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };

  return (
    <>
      <p>
        <Link href="/quizzes">← All quizzes</Link>
      </p>
      <h1>{q.title}</h1>
      {q.note && <p className="notice">{q.note}</p>}
      {result ? (
        <ResultView quiz={q} questions={questions} result={result} onRetry={() => { setResult(null); setAnswers({}); setIndex(0); }} />
      ) : (
        <form onSubmit={onSubmit} aria-label="Answer the quiz">
          <fieldset className="mode">
            <legend>Show</legend>
            <label className="check">
              <input type="radio" name="mode" checked={mode === 'one'} onChange={() => setMode('one')} /> One question at a time
            </label>
            <label className="check">
              <input type="radio" name="mode" checked={mode === 'all'} onChange={() => setMode('all')} /> All questions
            </label>
          </fieldset>
          {mode === 'one' && current ? (
            <>
              <p className="muted">
                Question {questions.indexOf(current) + 1} of {questions.length}
              </p>
              <QuestionField question={current} value={answers[current.id] ?? ''} onChange={(v) => setAnswers({ ...answers, [current.id]: v })} />
              <div className="actions">
                <button type="button" className="secondary" disabled={index === 0} onClick={() => setIndex(index - 1)}>
                  Previous question
                </button>
                <button type="button" className="secondary" disabled={index >= questions.length - 1} onClick={() => setIndex(index + 1)}>
                  Next question
                </button>
              </div>
            </>
          ) : (
            questions.map((question) => (
              <QuestionField key={question.id} question={question} value={answers[question.id] ?? ''} onChange={(v) => setAnswers({ ...answers, [question.id]: v })} />
            ))
          )}
          <p className="muted">
            {answered} of {questions.length} answered
          </p>
          <ErrorMessage error={submit.error} />
          <button type="submit" disabled={submit.busy}>
            Submit answers
          </button>
        </form>
      )}
      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">Past attempts</h2>
        <ErrorMessage error={past.error} />
        {past.data?.submissions.length === 0 && <p className="muted">No attempts yet.</p>}
        <ul className="plain-list">
          {past.data?.submissions.map((s) => (
            <li key={s.submission_id}>
              {new Date(s.submitted_at).toLocaleString()}: {s.score} of {s.total_points} ({Math.round(s.percentage)}%)
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function QuestionField({ question, value, onChange }: { question: QuizQuestion; value: string; onChange: (v: string) => void }) {
  const name = `q-${question.id}`;
  if (question.options && question.options.length > 0) {
    return (
      <fieldset className="question card">
        <legend>{question.question_text}</legend>
        {question.options.map((o) => (
          <label key={o.id} className="check">
            <input type="radio" name={name} value={o.id} checked={value === o.id} onChange={() => onChange(o.id)} /> {o.text}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <div className="question card">
      <label htmlFor={name}>{question.question_text}</label>
      <input id={name} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />
    </div>
  );
}

function ResultView({ quiz, questions, result, onRetry }: { quiz: Quiz; questions: QuizQuestion[]; result: Submission; onRetry: () => void }) {
  const byId = new Map(result.results.map((r) => [r.question_id, r]));
  const optionText = (question: QuizQuestion, answer: unknown) =>
    question.options?.find((o) => o.id === answer)?.text ?? (answer === null || answer === '' ? '(no answer)' : String(answer));
  return (
    <section aria-labelledby="score-heading">
      <h2 id="score-heading" tabIndex={-1}>
        Score: {result.score} of {result.total_points} ({Math.round(result.percentage)}%)
      </h2>
      <ol className="results">
        {questions.map((question) => {
          const r = byId.get(question.id);
          if (!r) return null;
          return (
            <li key={question.id} className={`card ${r.correct ? 'right' : 'wrong'}`}>
              <p>
                <strong>{r.correct ? 'Right' : 'Wrong'}:</strong> {question.question_text}
              </p>
              <p>Your answer: {optionText(question, r.your_answer)}</p>
              {!r.correct && <p>Right answer: {r.correct_answer}</p>}
              {r.explanation && <p className="muted">{r.explanation}</p>}
              {r.source?.sentence && (
                <blockquote className="small">
                  {/* The explanation often quotes the sentence already: then only where it stands. */}
                  {!r.explanation.includes(r.source.sentence) && <>“{r.source.sentence}” </>}
                  {quiz.document_id !== null ? (
                    <Link href={`/documents/${quiz.document_id}/pages/${r.source.page}`}>Source: page {r.source.page}</Link>
                  ) : (
                    <>Source: page {r.source.page}</>
                  )}
                </blockquote>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={onRetry}>
        Take it again
      </button>
    </section>
  );
}
