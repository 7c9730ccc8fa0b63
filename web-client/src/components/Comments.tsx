import { useState } from 'preact/hooks';
import type { Comment, CommentKind, Framework } from '../protocol';
import { KIND_LABEL } from '../words';

const KINDS: CommentKind[] = ['benefit', 'risk', 'question', 'suggestion'];
const MAX_COMMENT = 2000;

function about(framework: Framework, test: string | null): string {
  if (!test) return 'The scenario';
  return framework.tests.find((t) => t.id === test)?.name ?? test;
}

export function CommentForm({
  framework,
  onSubmit,
  idPrefix = 'c',
  offline = false,
}: {
  framework: Framework;
  onSubmit(c: { test: string; kind: CommentKind; text: string }): Promise<void>;
  idPrefix?: string;
  /** Comments made offline wait on the device; say so rather than look stuck. */
  offline?: boolean;
}) {
  const [test, setTest] = useState('');
  const [kind, setKind] = useState<CommentKind | ''>('');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  const [done, setDone] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    if (!kind) return setProblem('Choose whether this is a benefit, a risk, a question or a suggestion.');
    if (!text.trim()) return setProblem('Write your comment first.');
    setProblem('');
    const sent = { test, kind, text };
    setText('');
    if (offline) setDone("You're offline: your comment is kept on this device and will be posted when you're back.");
    try {
      await onSubmit(sent);
      setDone('Your comment has been posted.');
    } catch (err) {
      setText(sent.text);
      setProblem((err as Error).message);
    }
  };

  return (
    <form class="comment-form" onSubmit={submit} noValidate>
      <div class="field">
        <label for={`${idPrefix}-about`}>What is your comment about?</label>
        <select id={`${idPrefix}-about`} value={test} onChange={(e) => setTest((e.target as HTMLSelectElement).value)}>
          <option value="">The scenario as a whole</option>
          {framework.tests.map((t) => (
            <option key={t.id} value={t.id}>
              The {t.name} test
            </option>
          ))}
        </select>
      </div>
      <fieldset class="field">
        <legend>What kind of comment is it?</legend>
        <div class="chips">
          {KINDS.map((k) => (
            <label key={k} class={`chip kind-${k}`}>
              <input type="radio" name={`${idPrefix}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} />
              <span>{KIND_LABEL[k]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for={`${idPrefix}-text`}>Your comment</label>
        <textarea
          id={`${idPrefix}-text`}
          rows={3}
          maxLength={MAX_COMMENT}
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
      </div>
      <div aria-live="polite">
        {problem && <p class="field-error">{problem}</p>}
        {done && <p class="field-ok">{done}</p>}
      </div>
      <button type="submit" class="btn btn-primary">
        Post comment
      </button>
    </form>
  );
}

export type CommentMode = 'participant' | 'facilitator' | 'presenter';

export function CommentList({
  comments,
  framework,
  mode,
  onEndorse,
  onModerate,
  empty,
}: {
  comments: Comment[];
  framework: Framework;
  mode: CommentMode;
  onEndorse?(c: Comment): void;
  onModerate?(c: Comment, change: { hidden?: boolean; pinned?: boolean }): void;
  empty: string;
}) {
  if (comments.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ul class="comments">
      {comments.map((c) => (
        <li key={c.id} class={`comment${c.pinned ? ' pinned' : ''}${c.hidden ? ' hidden-comment' : ''}`}>
          <div class="comment-meta">
            <span class={`kind kind-${c.kind}`}>{KIND_LABEL[c.kind]}</span>
            <span class="comment-about">on {about(framework, c.test)}</span>
            {c.pinned && <span class="tag">Pinned</span>}
            {c.hidden && <span class="tag tag-warn">{mode === 'facilitator' ? 'Hidden from participants' : 'Hidden by the facilitator'}</span>}
          </div>
          <p class="comment-text">{c.text}</p>
          <div class="comment-foot">
            {mode !== 'presenter' && <span class="comment-author">{c.mine ? 'You' : c.author}</span>}
            <span class="endorsements">{c.endorsements === 1 ? '1 endorsement' : `${c.endorsements} endorsements`}</span>
            {mode === 'participant' && onEndorse && !c.mine && !c.hidden && (
              <button
                type="button"
                class="btn btn-small"
                disabled={c.endorsed}
                aria-pressed={c.endorsed ? 'true' : 'false'}
                onClick={() => onEndorse(c)}
                aria-label={c.endorsed ? 'You endorsed this comment' : `Endorse this comment: ${c.text.slice(0, 60)}`}
              >
                {c.endorsed ? 'Endorsed' : 'Endorse'}
              </button>
            )}
            {mode === 'facilitator' && onModerate && (
              <span class="comment-actions">
                <button type="button" class="btn btn-small" onClick={() => onModerate(c, { pinned: !c.pinned })}>
                  {c.pinned ? 'Unpin' : 'Pin to top'}
                </button>
                <button type="button" class="btn btn-small" onClick={() => onModerate(c, { hidden: !c.hidden })}>
                  {c.hidden ? 'Show again' : 'Hide'}
                </button>
              </span>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
