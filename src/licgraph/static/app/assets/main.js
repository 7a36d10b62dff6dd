var ue,w,Ke,Gt,R,Be,ze,Qe,Ee,re,Z,Je,Le,Pe,xe,Ze,ie={},le=[],Bt=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,de=Array.isArray;function $(e,t){for(var n in t)e[n]=t[n];return e}function Ne(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function jt(e,t,n){var r,a,s,l={};for(s in t)s=="key"?r=t[s]:s=="ref"?a=t[s]:l[s]=t[s];if(arguments.length>2&&(l.children=arguments.length>3?ue.call(arguments,2):n),typeof e=="function"&&e.defaultProps!=null)for(s in e.defaultProps)l[s]===void 0&&(l[s]=e.defaultProps[s]);return se(e,l,r,a,null)}function se(e,t,n,r,a){var s={type:e,props:t,key:n,ref:r,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:a??++Ke,__i:-1,__u:0};return a==null&&w.vnode!=null&&w.vnode(s),s}function E(e){return e.children}function ae(e,t){this.props=e,this.context=t}function F(e,t){if(t==null)return e.__?F(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type=="function"?F(e):null}function Vt(e){if(e.__P&&e.__d){var t=e.__v,n=t.__e,r=[],a=[],s=$({},t);s.__v=t.__v+1,w.vnode&&w.vnode(s),Ae(e.__P,s,t,e.__n,e.__P.namespaceURI,32&t.__u?[n]:null,r,n??F(t),!!(32&t.__u),a),s.__v=t.__v,s.__.__k[s.__i]=s,nt(r,s,a),t.__e=t.__=null,s.__e!=n&&Ye(s)}}function Ye(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),Ye(e)}function Ie(e){(!e.__d&&(e.__d=!0)&&R.push(e)&&!ce.__r++||Be!=w.debounceRendering)&&((Be=w.debounceRendering)||ze)(ce)}function ce(){try{for(var e,t=1;R.length;)R.length>t&&R.sort(Qe),e=R.shift(),t=R.length,Vt(e)}finally{R.length=ce.__r=0}}function Xe(e,t,n,r,a,s,l,u,_,c,d){var f,i,p,m,k,S,g=r&&r.__k||le,y=t.length;for(_=Kt(n,t,g,_,y),f=0;f<y;f++)(p=n.__k[f])!=null&&(i=p.__i!=-1&&g[p.__i]||ie,p.__i=f,S=Ae(e,p,i,a,s,l,u,_,c,d),m=p.__e,p.ref&&i.ref!=p.ref&&(i.ref&&$e(i.ref,null,p),d.push(p.ref,p.__c||m,p)),k==null&&m!=null&&(k=m),4&p.__u?(_=et(p,_,e),i.__e&&(i.__e=null)):typeof p.type=="function"&&S!==void 0?_=S:m&&(_=m.nextSibling),p.__u&=-7);return n.__e=k,_}function Kt(e,t,n,r,a){var s,l,u,_,c,d=n.length,f=d,i=0;for(e.__k=new Array(a),s=0;s<a;s++)(l=t[s])!=null&&typeof l!="boolean"&&typeof l!="function"?(typeof l=="string"||typeof l=="number"||typeof l=="bigint"||l.constructor==String?l=e.__k[s]=se(null,l,null,null,null):de(l)?l=e.__k[s]=se(E,{children:l},null,null,null):l.constructor===void 0&&l.__b>0?l=e.__k[s]=se(l.type,l.props,l.key,l.ref?l.ref:null,l.__v):e.__k[s]=l,_=s+i,l.__=e,l.__b=e.__b+1,u=null,(c=l.__i=zt(l,n,_,f))!=-1&&(f--,(u=n[c])&&(u.__u|=2)),u==null||u.__v==null?(c==-1&&(a>d?i--:a<d&&i++),typeof l.type!="function"&&(l.__u|=4)):c!=_&&(c==_-1?i--:c==_+1?i++:(c>_?i--:i++,l.__u|=4))):e.__k[s]=null;if(f)for(s=0;s<d;s++)(u=n[s])!=null&&(2&u.__u)==0&&(u.__e==r&&(r=F(u)),rt(u,u));return r}function et(e,t,n){var r,a;if(typeof e.type=="function"){for(r=e.__k,a=0;r&&a<r.length;a++)r[a]&&(r[a].__=e,t=et(r[a],t,n));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=F(e)),t=n.insertBefore(e.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function zt(e,t,n,r){var a,s,l,u=e.key,_=e.type,c=t[n],d=c!=null&&(2&c.__u)==0;if(c===null&&u==null||d&&u==c.key&&_==c.type)return n;if(r>(d?1:0)){for(a=n-1,s=n+1;a>=0||s<t.length;)if((c=t[l=a>=0?a--:s++])!=null&&(2&c.__u)==0&&u==c.key&&_==c.type)return l}return-1}function je(e,t,n){t[0]=="-"?e.setProperty(t,n??""):e[t]=n==null?"":typeof n!="number"||Bt.test(t)?n:n+"px"}function oe(e,t,n,r,a){var s,l;e:if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof r=="string"&&(e.style.cssText=r=""),r)for(t in r)n&&t in n||je(e.style,t,"");if(n)for(t in n)r&&n[t]==r[t]||je(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(Je,"$1")),l=t.toLowerCase(),t=l in e||t=="onFocusOut"||t=="onFocusIn"?l.slice(2):t.slice(2),e.l||(e.l={}),e.l[t+s]=n,n?r?n[Z]=r[Z]:(n[Z]=Le,e.addEventListener(t,s?xe:Pe,s)):e.removeEventListener(t,s?xe:Pe,s);else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{e[t]=n??"";break e}catch{}typeof n=="function"||(n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n))}}function Ve(e){return function(t){if(this.l){var n=this.l[t.type+e];if(t[re]==null)t[re]=Le++;else if(t[re]<n[Z])return;return n(w.event?w.event(t):t)}}}function Ae(e,t,n,r,a,s,l,u,_,c){var d,f,i,p,m,k,S,g,y,b,v,L,J,Ge,ne,Ce,A=t.type;if(t.constructor!==void 0)return null;128&n.__u&&(_=!!(32&n.__u),s=[u=t.__e=n.__e]),(d=w.__b)&&d(t);e:if(typeof A=="function"){f=l.length;try{if(y=t.props,b=A.prototype&&A.prototype.render,v=(d=A.contextType)&&r[d.__c],L=d?v?v.props.value:d.__:r,n.__c?g=(i=t.__c=n.__c).__=i.__E:(b?t.__c=i=new A(y,L):(t.__c=i=new ae(y,L),i.constructor=A,i.render=Jt),v&&v.sub(i),i.state||(i.state={}),i.__n=r,p=i.__d=!0,i.__h=[],i._sb=[]),b&&i.__s==null&&(i.__s=i.state),b&&A.getDerivedStateFromProps!=null&&(i.__s==i.state&&(i.__s=$({},i.__s)),$(i.__s,A.getDerivedStateFromProps(y,i.__s))),m=i.props,k=i.state,i.__v=t,p)b&&A.getDerivedStateFromProps==null&&i.componentWillMount!=null&&i.componentWillMount(),b&&i.componentDidMount!=null&&i.__h.push(i.componentDidMount);else{if(b&&A.getDerivedStateFromProps==null&&y!==m&&i.componentWillReceiveProps!=null&&i.componentWillReceiveProps(y,L),t.__v==n.__v||!i.__e&&i.shouldComponentUpdate!=null&&i.shouldComponentUpdate(y,i.__s,L)===!1){t.__v!=n.__v&&(i.props=y,i.state=i.__s,i.__d=!1),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(G){G&&(G.__=t)}),le.push.apply(i.__h,i._sb),i._sb=[],i.__h.length&&l.push(i),u=F(n);break e}i.componentWillUpdate!=null&&i.componentWillUpdate(y,i.__s,L),b&&i.componentDidUpdate!=null&&i.__h.push(function(){i.componentDidUpdate(m,k,S)})}if(i.context=L,i.props=y,i.__P=e,i.__e=!1,J=w.__r,Ge=0,b)i.state=i.__s,i.__d=!1,J&&J(t),d=i.render(i.props,i.state,i.context),le.push.apply(i.__h,i._sb),i._sb=[];else do i.__d=!1,J&&J(t),d=i.render(i.props,i.state,i.context),i.state=i.__s;while(i.__d&&++Ge<25);i.state=i.__s,i.getChildContext!=null&&(r=$($({},r),i.getChildContext())),b&&!p&&i.getSnapshotBeforeUpdate!=null&&(S=i.getSnapshotBeforeUpdate(m,k)),ne=d!=null&&d.type===E&&d.key==null?ot(d.props.children):d,u=Xe(e,de(ne)?ne:[ne],t,n,r,a,s,l,u,_,c),i.base=t.__e,t.__u&=-161,i.__h.length&&l.push(i),g&&(i.__E=i.__=null)}catch(G){if(l.length=f,t.__v=null,_||s!=null){if(G.then){for(t.__u|=_?160:128;u&&u.nodeType==8&&u.nextSibling;)u=u.nextSibling;s!=null&&(s[s.indexOf(u)]=null),t.__e=u}else if(s!=null)for(Ce=s.length;Ce--;)Ne(s[Ce])}else t.__e=n.__e;t.__k==null&&(t.__k=n.__k||[]),G.then||tt(t),w.__e(G,t,n)}}else s==null&&t.__v==n.__v?(t.__k=n.__k,t.__e=n.__e):u=t.__e=Qt(n.__e,t,n,r,a,s,l,_,c);return(d=w.diffed)&&d(t),128&t.__u?void 0:u}function tt(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(tt))}function nt(e,t,n){for(var r=0;r<n.length;r++)$e(n[r],n[++r],n[++r]);w.__c&&w.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(s){s.call(a)})}catch(s){w.__e(s,a.__v)}})}function ot(e){return typeof e!="object"||e==null||e.__b>0?e:de(e)?e.map(ot):e.constructor!==void 0?null:$({},e)}function Qt(e,t,n,r,a,s,l,u,_){var c,d,f,i,p,m,k,S=n.props||ie,g=t.props,y=t.type;if(y=="svg"?a="http://www.w3.org/2000/svg":y=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),s!=null){for(c=0;c<s.length;c++)if((p=s[c])&&"setAttribute"in p==!!y&&(y?p.localName==y:p.nodeType==3)){e=p,s[c]=null;break}}if(e==null){if(y==null)return document.createTextNode(g);e=document.createElementNS(a,y,g.is&&g),u&&(w.__m&&w.__m(t,s),u=!1),s=null}if(y==null)S===g||u&&e.data==g||(e.data=g);else{if(s=y=="textarea"&&g.defaultValue!=null?null:s&&ue.call(e.childNodes),!u&&s!=null)for(S={},c=0;c<e.attributes.length;c++)S[(p=e.attributes[c]).name]=p.value;for(c in S)p=S[c],c=="dangerouslySetInnerHTML"?f=p:c=="children"||c in g||c=="value"&&"defaultValue"in g||c=="checked"&&"defaultChecked"in g||oe(e,c,null,p,a);for(c in g)p=g[c],c=="children"?i=p:c=="dangerouslySetInnerHTML"?d=p:c=="value"?m=p:c=="checked"?k=p:u&&typeof p!="function"||S[c]===p||oe(e,c,p,S[c],a);if(d)u||f&&(d.__html==f.__html||d.__html==e.innerHTML)||(e.innerHTML=d.__html),t.__k=[];else if(f&&(e.innerHTML=""),Xe(t.type=="template"?e.content:e,de(i)?i:[i],t,n,r,y=="foreignObject"?"http://www.w3.org/1999/xhtml":a,s,l,s?s[0]:n.__k&&F(n,0),u,_),s!=null)for(c=s.length;c--;)Ne(s[c]);u&&y!="textarea"||(c="value",y=="progress"&&m==null?e.removeAttribute("value"):m!=null&&(m!==e[c]||y=="progress"&&!m||y=="option"&&m!=S[c])&&oe(e,c,m,S[c],a),c="checked",k!=null&&k!=e[c]&&oe(e,c,k,S[c],a))}return e}function $e(e,t,n){try{if(typeof e=="function"){var r=typeof e.__u=="function";r&&e.__u(),r&&t==null||(e.__u=e(t))}else e.current=t}catch(a){w.__e(a,n)}}function rt(e,t,n){var r,a;if(w.unmount&&w.unmount(e),(r=e.ref)&&(r.current&&r.current!=e.__e||$e(r,null,t)),(r=e.__c)!=null){if(r.componentWillUnmount)try{r.componentWillUnmount()}catch(s){w.__e(s,t)}r.base=r.__P=r.__n=null}if(r=e.__k)for(a=0;a<r.length;a++)r[a]&&rt(r[a],t,n||typeof e.type!="function");n||Ne(e.__e),e.__c=e.__=e.__e=void 0}function Jt(e,t,n){return this.constructor(e,n)}function st(e,t,n){var r,a,s,l;t==document&&(t=document.documentElement),w.__&&w.__(e,t),a=(r=typeof n=="function")?null:n&&n.__k||t.__k,s=[],l=[],Ae(t,e=(!r&&n||t).__k=jt(E,null,[e]),a||ie,ie,t.namespaceURI,!r&&n?[n]:a?null:t.firstChild?ue.call(t.childNodes):null,s,!r&&n?n:a?a.__e:t.firstChild,r,l),nt(s,e,l),e.props.children=null}function at(e){function t(n){var r,a;return this.getChildContext||(r=new Set,(a={})[t.__c]=this,this.getChildContext=function(){return a},this.componentWillUnmount=function(){r=null},this.shouldComponentUpdate=function(s){this.props.value!=s.value&&r.forEach(function(l){l.__e=!0,Ie(l)})},this.sub=function(s){r.add(s);var l=s.componentWillUnmount;s.componentWillUnmount=function(){r&&r.delete(s),l&&l.call(s)}}),n.children}return t.__c="__cC"+Ze++,t.__=e,t.Provider=t.__l=(t.Consumer=function(n,r){return n.children(r)}).contextType=t,t}ue=le.slice,w={__e:function(e,t,n,r){for(var a,s,l;t=t.__;)if((a=t.__c)&&!a.__)try{if((s=a.constructor)&&s.getDerivedStateFromError!=null&&(a.setState(s.getDerivedStateFromError(e)),l=a.__d),a.componentDidCatch!=null&&(a.componentDidCatch(e,r||{}),l=a.__d),l)return a.__E=a}catch(u){e=u}throw e}},Ke=0,Gt=function(e){return e!=null&&e.constructor===void 0},ae.prototype.setState=function(e,t){var n;n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=$({},this.state),typeof e=="function"&&(e=e($({},n),this.props)),e&&$(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),Ie(this))},ae.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),Ie(this))},ae.prototype.render=E,R=[],ze=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Qe=function(e,t){return e.__v.__b-t.__v.__b},ce.__r=0,Ee=Math.random().toString(8),re="__d"+Ee,Z="__a"+Ee,Je=/(PointerCapture)$|Capture$/i,Le=0,Pe=Ve(!1),xe=Ve(!0),Ze=0;var B,C,Te,it,Y=0,mt=[],P=w,lt=P.__b,ct=P.__r,ut=P.diffed,dt=P.__c,pt=P.unmount,_t=P.__;function _e(e,t){P.__h&&P.__h(C,e,Y||t),Y=0;var n=C.__H||(C.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function h(e){return Y=1,Zt(yt,e)}function Zt(e,t,n){var r=_e(B++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):yt(void 0,t),function(u){var _=r.__N?r.__N[0]:r.__[0],c=r.t(_,u);_!==c&&(r.__N=[c,r.__[1]],r.__c.setState({}))}],r.__c=C,!C.__f)){var a=function(u,_,c){if(!r.__c.__H)return!0;var d=!1,f=r.__c.props!==u;if(r.__c.__H.__.some(function(p){if(p.__N){d=!0;var m=p.__[0];p.__=p.__N,p.__N=void 0,m!==p.__[0]&&(f=!0)}}),s){var i=s.call(this,u,_,c);return d?i||f:i}return!d||f};C.__f=!0;var s=C.shouldComponentUpdate,l=C.componentWillUpdate;C.componentWillUpdate=function(u,_,c){if(this.__e){var d=s;s=void 0,a(u,_,c),s=d}l&&l.call(this,u,_,c)},C.shouldComponentUpdate=a}return r.__N||r.__}function T(e,t){var n=_e(B++,3);!P.__s&&gt(n.__H,t)&&(n.__=e,n.u=t,C.__H.__h.push(n))}function ht(e){return Y=5,j(function(){return{current:e}},[])}function j(e,t){var n=_e(B++,7);return gt(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function De(e,t){return Y=8,j(function(){return e},t)}function M(e){var t=C.context[e.__c],n=_e(B++,9);return n.c=e,t?(n.__==null&&(n.__=!0,t.sub(C)),t.props.value):e.__}function Yt(){for(var e;e=mt.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(pe),t.__h.some(Ue),t.__h=[]}catch(n){t.__h=[],P.__e(n,e.__v)}}}P.__b=function(e){C=null,lt&&lt(e)},P.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),_t&&_t(e,t)},P.__r=function(e){ct&&ct(e),B=0;var t=(C=e.__c).__H;t&&(Te===C?(t.__h=[],C.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})):(t.__h.some(pe),t.__h.some(Ue),t.__h=[],B=0)),Te=C},P.diffed=function(e){ut&&ut(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(mt.push(t)!==1&&it===P.requestAnimationFrame||((it=P.requestAnimationFrame)||Xt)(Yt)),t.__H.__.some(function(n){n.u&&(n.__H=n.u,n.u=void 0)})),Te=C=null},P.__c=function(e,t){t.some(function(n){try{n.__h.some(pe),n.__h=n.__h.filter(function(r){return!r.__||Ue(r)})}catch(r){t.some(function(a){a.__h&&(a.__h=[])}),t=[],P.__e(r,n.__v)}}),dt&&dt(e,t)},P.unmount=function(e){pt&&pt(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(r){try{pe(r)}catch(a){t=a}}),n.__H=void 0,t&&P.__e(t,n.__v))};var ft=typeof requestAnimationFrame=="function";function Xt(e){var t,n=function(){clearTimeout(r),ft&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);ft&&(t=requestAnimationFrame(n))}function pe(e){var t=C,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),C=t}function Ue(e){var t=C;e.__c=e.__(),C=t}function gt(e,t){return!e||e.length!==t.length||t.some(function(n,r){return n!==e[r]})}function yt(e,t){return typeof t=="function"?t(e):t}var qe="licgraph.token";function fe(){return sessionStorage.getItem(qe)}function vt(e){sessionStorage.setItem(qe,e.trim())}function V(){sessionStorage.removeItem(qe)}var en=new URL("../graphql",window.location.href),tn="Your session has ended: the token has expired, was revoked or is not valid. Sign in again with a valid token.",I=class extends Error{},X=class extends Error{constructor(t,n){super(t),this.code=n}};async function K(e,t={}){let n=fe();if(!n)throw new I("Sign in with an access token.");let r=await nn(e,t,n),a=await r.json().catch(()=>null),[s]=a?.errors??[];if(r.status===401||s?.extensions?.code==="UNAUTHENTICATED")throw V(),new I(tn);if(s)throw new X(s.message,s.extensions?.code);if(!r.ok||!a?.data)throw new X(`The server answered ${r.status}; try again.`,"HTTP");return a.data}async function nn(e,t,n){try{return await fetch(en,{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/graphql-response+json, application/json",Authorization:`Bearer ${n}`},body:JSON.stringify({query:e,variables:t})})}catch{throw new X("The server could not be reached. Check the connection and try again.","NETWORK")}}function U(e){return`app-${e}-${crypto.randomUUID()}`}var D=at(null);function O(){let e=M(D);return De(async(t,n)=>{try{return await K(t,n)}catch(r){throw r instanceof I&&e.end(r.message),r}},[e])}function N(e,t){let n=O(),r=JSON.stringify(t),[a,s]=h({data:null,error:null,loading:!0}),[l,u]=h(0);T(()=>{let c=!0;return s(d=>({...d,error:null,loading:!0})),n(e,t).then(d=>c&&s({data:d,error:null,loading:!1}),d=>c&&!(d instanceof I)&&s(f=>({...f,error:d,loading:!1}))),()=>{c=!1}},[e,r,l]);let _=De(()=>u(c=>c+1),[]);return{...a,reload:_}}function H(e){let[t,n]=h({busy:!1,error:null});return[async(...a)=>{n({busy:!0,error:null});try{let s=await e(...a);return n({busy:!1,error:null}),s}catch(s){n({busy:!1,error:s instanceof I?null:s});return}},t]}var ee=`# Who am I? The token's name, role and scope. Run it first
# (Ctrl-Enter) to check your token: every operation needs
# \`Authorization: Bearer <token>\` in Headers, below. Get one with
# \`licgraph token create --role reader\`; \`licgraph serve --demo\`
# prints one per role and puts the admin agent's here already. The
# tabs that follow walk the seed's flow in order.
query Viewer {
  viewer {
    name
    role
    partnerWide
    canChangeLicenses
    canPurchaseLicenses
    customer {
      id
      name
    }
  }
}
`;var Re=`# Step 1: the customers the caller may see, sorted by name, in
# pages of at most 100. Next page: pass the previous page's
# \`pageInfo.endCursor\` as \`after\`.
query CustomersPage($first: Int = 20, $after: String, $search: String) {
  customers(first: $first, after: $after, search: $search) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        name
        domain
      }
    }
  }
}
`;var Me=`# Step 2: "Users and licenses", one page of a customer's users
# sorted by display name. First: \`first\` alone. Next: \`first\` +
# \`after: endCursor\`. Previous: \`last\` + \`before: startCursor\`.
# Last: \`last\` alone. \`search\` matches part of a display or
# sign-in name; \`filter\` narrows by usage location or by a product
# held or lacking.
query UsersPage(
  $customerId: ID!
  $first: Int
  $after: String
  $last: Int
  $before: String
  $search: String
  $filter: UserFilter
) {
  customer(id: $customerId) {
    id
    name
    users(
      first: $first
      after: $after
      last: $last
      before: $before
      search: $search
      filter: $filter
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
        displayName
        userPrincipalName
        usageLocation
        licenses {
          product {
            id
            name
          }
          disabledServicePlans {
            name
          }
        }
      }
    }
  }
}
`;var W=`# Steps 3 and 4: the users ticked on any page ("Selected users",
# in list order) and the "Manage licenses" panel: every product's
# counts, its tri-state for the selection (ALL / SOME / NONE), who
# of the selection holds it, its service plans and its rules.
# \`availableLicenses: 0\` is where a "Buy more" link goes
# (PurchaseLicenses).
query ManageLicenses($customerId: ID!, $userIds: [ID!]!) {
  customer(id: $customerId) {
    id
    usersByIds(ids: $userIds) {
      id
      displayName
      usageLocation
    }
    products {
      id
      skuPartNumber
      name
      totalLicenses
      assignedLicenses
      availableLicenses
      assignmentState(userIds: $userIds)
      assignedUsers(userIds: $userIds) {
        id
        displayName
      }
      servicePlans {
        id
        name
        requiredServicePlans {
          id
          name
        }
      }
      requiredProducts {
        id
        name
      }
      conflictingProducts {
        id
        name
      }
      unavailableUsageLocations
    }
  }
}
`;var z=`# Steps 5 and 6: the one Save (assign some products, with service
# plans switched off, and revoke others) and the "Licenses
# updated" confirmation: every user's status, licenses after the
# change, and a typed error per failure. Clients branch on
# \`__typename\` (or \`code\`) and read the fields each error type
# carries to offer the fix: buy more, set a usage location, add
# the required product, drop the conflicting one. A retry with the
# same \`idempotencyKey\` and input replays the first answer.
mutation SaveLicenses($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) {
    applied
    dryRun
    succeededCount
    failedCount
    products {
      id
      name
      assignedLicenses
      availableLicenses
    }
    results {
      userId
      status
      user {
        displayName
        usageLocation
      }
      licenses {
        product {
          name
        }
        enabledServicePlans {
          name
        }
        disabledServicePlans {
          name
        }
      }
      errors {
        __typename
        code
        message
        ... on InsufficientLicensesError {
          product {
            id
            name
          }
          requested
          available
        }
        ... on UsageLocationRequiredError {
          userId
        }
        ... on ProductUnavailableInLocationError {
          product {
            name
          }
          usageLocation
        }
        ... on MissingDependencyError {
          product {
            name
          }
          requiredProducts {
            id
            name
          }
        }
        ... on DependentLicenseError {
          product {
            name
          }
          dependentProducts {
            id
            name
          }
        }
        ... on MutuallyExclusiveLicensesError {
          product {
            name
          }
          conflictingProducts {
            id
            name
          }
        }
        ... on InvalidServicePlanError {
          product {
            name
          }
          servicePlanIds
        }
        ... on ServicePlanDependencyError {
          product {
            name
          }
          servicePlan {
            name
          }
          requiredServicePlans {
            id
            name
          }
        }
        ... on UserNotFoundError {
          userId
        }
        ... on ProductNotFoundError {
          productId
        }
      }
    }
  }
}
`;var Oe=`# "Buy more": raise a product's total (Admin and Sales agents
# only). An unknown product comes back as a ProductNotFoundError
# in \`errors\`, with \`applied: false\`.
mutation PurchaseLicenses($input: PurchaseLicensesInput!) {
  purchaseLicenses(input: $input) {
    applied
    product {
      id
      name
      totalLicenses
      assignedLicenses
      availableLicenses
    }
    errors {
      __typename
      code
      message
    }
  }
}
`;var He=`# Fix what a UsageLocationRequiredError (or
# ProductUnavailableInLocationError) names: set one ISO 3166-1
# alpha-2 usage location on several users, then Save again.
mutation SetUsageLocation($input: SetUsageLocationInput!) {
  setUsageLocation(input: $input) {
    usageLocation
    results {
      userId
      status
      user {
        displayName
        usageLocation
      }
      errors {
        __typename
        code
        message
      }
    }
  }
}
`;var Fe=`# The change log of a customer, newest first: every assign,
# revoke, plan change, purchase and usage-location change, with
# who made it and the request it came from. \`filter\` narrows it to
# one user, product or action.
query ChangeLogPage(
  $customerId: ID!
  $first: Int = 20
  $after: String
  $filter: LicenseEventFilter
) {
  customer(id: $customerId) {
    id
    licenseEvents(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        occurredAt
        action
        user {
          id
          displayName
        }
        product {
          id
          name
        }
        actor {
          name
          role
        }
        requestId
        details
      }
    }
  }
}
`;var pn=0;function o(e,t,n,r,a,s){t||(t={});var l,u,_=t;if("ref"in _)for(u in _={},t)u=="ref"?l=t[u]:_[u]=t[u];var c={type:e,props:_,key:n,ref:l,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--pn,__i:-1,__u:0,__source:a,__self:s};if(typeof e=="function"&&(l=e.defaultProps))for(u in l)_[u]===void 0&&(_[u]=l[u]);return w.vnode&&w.vnode(c),c}function me({state:e,id:t,onChange:n,disabled:r,label:a}){let s=ht(null);return T(()=>{s.current.indeterminate=e==="some"},[e]),o("input",{ref:s,type:"checkbox",id:t,"aria-label":a,checked:e==="all",disabled:r,onChange:n})}function x({error:e}){return e?o("p",{class:"problem",role:"alert",children:e.message}):null}function he({label:e,value:t,onSearch:n,id:r}){let[a,s]=h(t??"");return o("form",{class:"search",role:"search",onSubmit:u=>{u.preventDefault(),n(a.trim()||null)},children:[o("label",{for:r,children:e}),o("input",{id:r,type:"search",value:a,onInput:u=>s(u.currentTarget.value)}),o("button",{type:"submit",children:"Search"})]})}function Q({label:e,buttons:t}){return o("nav",{class:"pager","aria-label":e,children:t.map(({text:n,onClick:r,enabled:a})=>o("button",{type:"button",onClick:r,disabled:!a,children:n},n))})}var _n={ADMIN_AGENT:"Admin agent",SALES_AGENT:"Sales agent",HELPDESK_AGENT:"Helpdesk agent",GLOBAL_ADMIN:"Global admin",USER_MANAGEMENT_ADMIN:"User management admin",READER:"Reader"},fn={ASSIGNED:"License assigned",REVOKED:"License removed",PLANS_CHANGED:"Service plans changed",PURCHASED:"Licenses bought",USAGE_LOCATION_SET:"Usage location set"},mn={SUCCEEDED:"Updated",FAILED:"Not changed: failed",UNCHANGED:"No change needed"},ge=e=>_n[e]??e,bt=e=>fn[e]??e,St=e=>mn[e]??e;function q(e,t="and"){let n=e.map(r=>r.name??r.displayName??r);return n.length<=1?n.join(""):`${n.slice(0,-1).join(", ")} ${t} ${n.at(-1)}`}var hn={InsufficientLicensesError:e=>`Not enough ${e.product.name} licenses: this save needed ${e.requested} new, only ${e.available} ${e.available===1?"was":"were"} free. Buy more or pick fewer users.`,UsageLocationRequiredError:()=>"This user has no usage location, and licenses can only go to users who have one. Set a usage location, then retry.",ProductUnavailableInLocationError:e=>`${e.product.name} is not sold in this user's usage location (${e.usageLocation}). Set another usage location or leave this product out.`,MissingDependencyError:e=>`${e.product.name} needs ${q(e.requiredProducts,"or")} as well: assign one of them in the same save.`,DependentLicenseError:e=>`${e.product.name} can't be removed while ${q(e.dependentProducts)} ${e.dependentProducts.length===1?"depends":"depend"} on it: remove ${e.dependentProducts.length===1?"that":"those"} too.`,MutuallyExclusiveLicensesError:e=>`${e.product.name} can't be held together with ${q(e.conflictingProducts)}.`,InvalidServicePlanError:e=>`Some service plans switched off for ${e.product.name} don't belong to it.`,ServicePlanDependencyError:e=>`In ${e.product.name}, ${e.servicePlan.name} needs ${q(e.requiredServicePlans)} switched on.`,UserNotFoundError:()=>"This user does not exist (any more) in this customer.",ProductNotFoundError:()=>"This product does not exist (any more) for this customer."};function ye(e){return hn[e.__typename]?.(e)??e.message}var kt=e=>e.__typename==="UsageLocationRequiredError"||e.__typename==="ProductUnavailableInLocationError";function ve(e){let t=e.disabledServicePlans??[];return t.length===0?e.product.name:`${e.product.name} (without ${q(t)})`}var gn=new Intl.DateTimeFormat("en-GB",{dateStyle:"medium",timeStyle:"medium"}),wt=e=>gn.format(new Date(e));var yn=20;function Ct({customer:e}){let[t,n]=h([]),r=t.at(-1)??null,{data:a,error:s,loading:l}=N(Fe,{customerId:e.id,first:yn,after:r}),u=a?.customer?.licenseEvents;return o("section",{"aria-labelledby":"log-title","aria-busy":l?"true":"false",children:[o("h2",{id:"log-title",children:"Change log"}),o(x,{error:s}),u&&o(E,{children:[o("p",{class:"count",children:[u.totalCount," changes, newest first."]}),o("div",{class:"table-scroll",children:o("table",{class:"log",children:[o("caption",{class:"visually-hidden",children:["Changes to ",e.name]}),o("thead",{children:o("tr",{children:[o("th",{scope:"col",children:"When"}),o("th",{scope:"col",children:"What"}),o("th",{scope:"col",children:"User"}),o("th",{scope:"col",children:"Product"}),o("th",{scope:"col",children:"By"})]})}),o("tbody",{children:u.nodes.map(_=>o("tr",{children:[o("td",{children:wt(_.occurredAt)}),o("td",{children:bt(_.action)}),o("td",{children:_.user?.displayName??"—"}),o("td",{children:_.product?.name??"—"}),o("td",{children:[_.actor.name," ",o("span",{class:"muted",children:["(",ge(_.actor.role),")"]})]})]},_.id))})]})}),o(Q,{label:"Change log pages",buttons:[{text:"Newer",enabled:t.length>0,onClick:()=>n(t.slice(0,-1))},{text:"Older",enabled:u.pageInfo.hasNextPage,onClick:()=>n([...t,u.pageInfo.endCursor])}]})]})]})}var vn=10;function Et({onOpen:e}){let[t,n]=h(null),[r,a]=h([]),s=r.at(-1)??null,{data:l,error:u,loading:_}=N(Re,{first:vn,after:s,search:t}),c=l?.customers;return o("section",{"aria-labelledby":"customers-title","aria-busy":_?"true":"false",children:[o("h2",{id:"customers-title",children:"Customers"}),o(he,{id:"customer-search",label:"Search customers",value:t,onSearch:d=>{n(d),a([])}}),o(x,{error:u}),c&&o(E,{children:[o("p",{class:"count",children:[c.totalCount," ",c.totalCount===1?"customer":"customers"]}),o("ul",{class:"customers",children:c.edges.map(({node:d})=>o("li",{children:[o("button",{type:"button",onClick:()=>e(d),children:d.name}),o("span",{class:"muted",children:d.domain})]},d.id))}),o(Q,{label:"Customer pages",buttons:[{text:"Previous",enabled:r.length>0,onClick:()=>a(r.slice(0,-1))},{text:"Next",enabled:c.pageInfo.hasNextPage,onClick:()=>a([...r,c.pageInfo.endCursor])}]})]})]})}var te=e=>e.toLowerCase();function Pt(e,t){return t==="all"?"none":t==="none"&&e==="some"?"some":"all"}function bn(e,t){let n=new Set,r=a=>{for(let s of e)!n.has(s.id)&&s.requiredServicePlans.some(l=>l.id===a)&&(n.add(s.id),r(s.id))};return r(t),n}function Sn(e,t){let n=new Map(e.map(s=>[s.id,s])),r=new Set,a=s=>{for(let l of n.get(s)?.requiredServicePlans??[])r.has(l.id)||(r.add(l.id),a(l.id))};return a(t),r}function xt(e,t,n){return new Set([...t,n,...bn(e,n)])}function It(e,t,n){let r=new Set([n,...Sn(e,n)]);return new Set([...t].filter(a=>!r.has(a)))}function Lt(e,t,n,r){let a=[],s=[];for(let l of e){let u=te(l.assignmentState),_=t[l.id]??u,c=r.has(l.id);if(_==="all"&&(u!=="all"||c)){let d=[...n[l.id]??[]];a.push({productId:l.id,disabledServicePlanIds:d})}else _==="none"&&u!=="none"&&s.push(l.id)}return{assign:a,revoke:s}}var Nt=({assign:e,revoke:t})=>e.length===0&&t.length===0;function At(e){let t=new Map;for(let n of e)for(let r of n.errors){if(r.__typename!=="InsufficientLicensesError")continue;let a=r.requested-r.available;t.set(r.product.id,{product:r.product,...r,short:a})}return[...t.values()]}var be=e=>e.filter(t=>t.status==="FAILED");function $t({customer:e,userIds:t,products:n,change:r,empty:a,onSaved:s}){let l=O(),u=JSON.stringify([t,r]),[_,c]=h(null),[d,f]=h(()=>U("save"));T(()=>{c(null),f(U("save"))},[u]);let i={customerId:e.id,userIds:t,assign:r.assign,revoke:r.revoke},[p,m]=H(async()=>{let{updateLicenses:y}=await l(z,{input:{...i,dryRun:!0}});c(y)}),[k,S]=H(async()=>{let{updateLicenses:y}=await l(z,{input:{...i,idempotencyKey:d}});s({payload:y,change:r,userIds:t})}),g=y=>q(n.filter(b=>y.includes(b.id)));return o("div",{class:"save-area","aria-labelledby":"preview-title",children:[o("h3",{id:"preview-title",children:"Save"}),a?o("p",{children:"Tick products to assign or clear products to remove, then preview the change."}):o("p",{children:[r.assign.length>0&&o(E,{children:["Assign ",g(r.assign.map(y=>y.productId)),". "]}),r.revoke.length>0&&o(E,{children:["Remove ",g(r.revoke),". "]}),"For ",t.length," ",t.length===1?"user":"users","."]}),o("button",{type:"button",disabled:a||m.busy,onClick:()=>p(),children:m.busy?"Checking…":"Preview changes"}),o(x,{error:m.error}),_&&o(kn,{preview:_}),_&&o("button",{type:"button",class:"primary",disabled:S.busy,onClick:()=>k(),children:S.busy?"Saving…":"Save"}),S.error&&o("p",{class:"problem",role:"alert",children:[S.error.message," Saving again is safe: this change is applied at most once."]})]})}function kn({preview:e}){let t=be(e.results),n=At(e.results);return o("div",{class:"preview",role:"status",children:[o("p",{children:[o("strong",{children:"Preview:"})," ",e.succeededCount," would be updated, ",e.failedCount," ","would fail. Nothing has been saved yet."]}),n.length>0&&o("ul",{class:"shortfalls","aria-label":"Licenses short",children:n.map(r=>o("li",{children:[r.product.name,": ",r.requested," needed, ",r.available," available — ",r.short," short"]},r.product.id))}),t.length>0&&o("ul",{class:"failing","aria-label":"Users who would fail",children:t.map(r=>o("li",{children:[o("strong",{children:r.user?.displayName??r.userId}),":"," ",r.errors.map(ye).join(" ")]},r.userId))})]})}function Tt({customer:e,selection:t,onSaved:n}){let{viewer:r}=M(D),a=[...t.keys()],{data:s,error:l,loading:u,reload:_}=N(W,{customerId:e.id,userIds:a}),[c,d]=h({}),[f,i]=h({}),[p,m]=h(new Set),k=s?.customer?.products??[],S=s?.customer?.usersByIds??[],g=j(()=>Lt(k,c,f,p),[k,c,f,p]);if(t.size===0)return o("section",{"aria-labelledby":"manage-title",children:[o("h2",{id:"manage-title",children:"Manage licenses"}),o("p",{children:"No user is selected yet: tick users in “Users and licenses”."})]});let y=(b,v)=>{i({...f,[b]:v}),m(new Set([...p,b]))};return o("section",{"aria-labelledby":"manage-title","aria-busy":u?"true":"false",children:[o("h2",{id:"manage-title",children:"Manage licenses"}),o("ul",{class:"chips","aria-label":"Selected users",children:S.map(b=>o("li",{children:b.displayName},b.id))}),o(x,{error:l}),!r.canChangeLicenses&&o("p",{class:"note",children:"Your role can look at licenses but not change them."}),o("ul",{class:"products",children:k.map(b=>o(wn,{customer:e,product:b,selectedCount:S.length,choice:c[b.id]??te(b.assignmentState),onClick:()=>{let v=te(b.assignmentState),L=c[b.id]??v;d({...c,[b.id]:Pt(v,L)})},disabledPlans:f[b.id]??new Set,onPlans:v=>y(b.id,v),onBought:_},b.id))}),r.canChangeLicenses&&s&&o($t,{customer:e,userIds:a,products:k,change:g,empty:Nt(g),onSaved:n})]})}function wn({customer:e,product:t,selectedCount:n,choice:r,onClick:a,disabledPlans:s,onPlans:l,onBought:u}){let{viewer:_}=M(D),[c,d]=h(!1),f=`product-${t.id}`,i=t.assignedUsers;return o("li",{class:"product",children:[o("div",{class:"product-head",children:[o(me,{id:f,state:r,disabled:!_.canChangeLicenses,onChange:a}),o("label",{for:f,class:"product-name",children:t.name}),o("span",{class:`change change-${Ut(t,r)}`,children:Cn(t,r)})]}),o("p",{class:"counts",children:[o("strong",{children:[t.availableLicenses," available"]})," · ",t.assignedLicenses," ","assigned of ",t.totalLicenses]}),o("div",{class:"product-tools",children:[o("span",{class:"tip",children:[o("button",{type:"button",class:"tip-trigger","aria-describedby":`${f}-holders`,children:["Assigned: ",i.length," of ",n]}),o("span",{role:"tooltip",id:`${f}-holders`,children:i.length===0?"None of the selected users holds it.":`Held by ${i.map(p=>p.displayName).join(", ")}`})]}),t.servicePlans.length>0&&o("button",{type:"button","aria-expanded":c?"true":"false","aria-controls":`${f}-plans`,onClick:()=>d(!c),children:c?"Hide service plans":"View service plans"}),t.availableLicenses===0&&_.canPurchaseLicenses&&o(xn,{customer:e,product:t,onBought:u})]}),o(En,{product:t}),c&&o(Pn,{id:`${f}-plans`,product:t,disabled:s,editable:_.canChangeLicenses&&r==="all",onChange:l})]})}function Ut(e,t){let n=te(e.assignmentState);return t===n?"none":t==="all"?"assign":t==="none"?"revoke":"none"}function Cn(e,t){let n=Ut(e,t);return n==="assign"?"will be assigned":n==="revoke"?"will be removed":""}function En({product:e}){let t=[];return e.requiredProducts.length>0&&t.push(`Needs ${e.requiredProducts.map(n=>n.name).join(" or ")}.`),e.conflictingProducts.length>0&&t.push(`Not with ${e.conflictingProducts.map(n=>n.name).join(", ")}.`),e.unavailableUsageLocations.length>0&&t.push(`Not sold in ${e.unavailableUsageLocations.join(", ")}.`),t.length>0?o("p",{class:"rules",children:t.join(" ")}):null}function Pn({id:e,product:t,disabled:n,editable:r,onChange:a}){let s=t.servicePlans;return o("fieldset",{id:e,class:"plans",children:[o("legend",{children:["Service plans of ",t.name]}),!r&&o("p",{class:"hint",children:"Tick the product to choose the plans it is assigned with."}),s.map(l=>o("div",{class:"plan",children:[o("input",{type:"checkbox",id:`${e}-${l.id}`,checked:!n.has(l.id),disabled:!r,onChange:u=>a(u.currentTarget.checked?It(s,n,l.id):xt(s,n,l.id))}),o("label",{for:`${e}-${l.id}`,children:l.name}),l.requiredServicePlans.length>0&&o("span",{class:"muted",children:[" (needs ",l.requiredServicePlans.map(u=>u.name).join(", "),")"]})]},l.id))]})}function xn({customer:e,product:t,onBought:n}){let r=O(),[a,s]=h(!1),[l,u]=h("5"),[_,c]=h(()=>U("purchase")),[d,{busy:f,error:i}]=H(async()=>{let{purchaseLicenses:m}=await r(Oe,{input:{customerId:e.id,productId:t.id,quantity:Number(l),idempotencyKey:_}});if(m.errors.length>0)throw new Error(m.errors[0].message);c(U("purchase")),s(!1),n()});if(!a)return o("button",{type:"button",onClick:()=>s(!0),children:"Buy more"});let p=`buy-${t.id}`;return o("form",{class:"buy",onSubmit:m=>{m.preventDefault(),d()},children:[o("label",{for:p,children:["Licenses of ",t.name," to buy"]}),o("input",{id:p,type:"number",min:"1",max:"10000",required:!0,value:l,onInput:m=>{u(m.currentTarget.value),c(U("purchase"))}}),o("button",{type:"submit",disabled:f,children:f?"Buying…":"Buy"}),o(x,{error:i})]})}function Dt({customer:e,outcome:t,onRetried:n}){let{viewer:r}=M(D),a=O(),{payload:s,change:l}=t,u=be(s.results),[_]=h(()=>U("retry")),[c,d]=H(async()=>{let f=u.map(m=>m.userId),i={customerId:e.id,userIds:f,...l,idempotencyKey:_},{updateLicenses:p}=await a(z,{input:i});n({payload:p,change:l,userIds:f,retried:!0})});return o("section",{"aria-labelledby":"results-title",children:[o("h2",{id:"results-title",children:"Licenses updated"}),o("p",{class:"summary",role:"status",children:[t.retried?"Retry of the failed users: ":"",s.succeededCount," updated, ",s.failedCount," failed,"," ",s.results.length-s.succeededCount-s.failedCount," unchanged."]}),o(In,{customer:e,failed:u}),u.length>0&&r.canChangeLicenses&&o("p",{children:o("button",{type:"button",class:"primary",disabled:d.busy,onClick:()=>c(),children:d.busy?"Retrying…":`Retry the failed users only (${u.length})`})}),o(x,{error:d.error}),o("ul",{class:"results",children:s.results.map(f=>o("li",{class:`result result-${f.status.toLowerCase()}`,children:[o("h3",{children:f.user?.displayName??"Unknown user"}),o("p",{class:"status",children:St(f.status)}),o("p",{children:[o("span",{class:"muted",children:"Licenses now: "}),f.licenses.map(ve).join("; ")||"none"]}),f.errors.length>0&&o("ul",{class:"errors","aria-label":`Errors for ${f.user?.displayName??"this user"}`,children:f.errors.map((i,p)=>o("li",{children:ye(i)},p))})]},f.userId))})]})}function In({customer:e,failed:t}){let{viewer:n}=M(D),r=O(),a=t.filter(i=>i.errors.some(kt)),[s,l]=h(""),[u,_]=h(null),[c,d]=H(async()=>{let{setUsageLocation:i}=await r(He,{input:{customerId:e.id,userIds:a.map(m=>m.userId),usageLocation:s.trim().toUpperCase()}}),p=i.results.flatMap(m=>m.errors);if(p.length>0)throw new Error(p.map(m=>m.message).join(" "));_(i)});if(a.length===0||!n.canChangeLicenses)return null;let f=q(a.map(i=>i.user?.displayName??i.userId));return o("form",{class:"location-fix",onSubmit:i=>{i.preventDefault(),c()},children:[o("p",{children:["A usage location would fix the errors of ",o("strong",{children:f}),"."]}),o("label",{for:"fix-location",children:"Usage location (two letters, such as US)"}),o("input",{id:"fix-location",required:!0,size:"4",maxLength:2,pattern:"[A-Za-z]{2}",value:s,onInput:i=>l(i.currentTarget.value)}),o("button",{type:"submit",disabled:d.busy,children:"Set usage location"}),o(x,{error:d.error}),u&&o("p",{role:"status",children:["Usage location set to ",u.usageLocation," for ",f,". Now retry the failed users."]})]})}var Se=()=>new Map;function ke(e,t){let n=new Map(e);return n.has(t.id)?n.delete(t.id):n.set(t.id,{id:t.id,displayName:t.displayName}),n}function qt(e,t){let n=new Map(e),r=t.length>0&&t.every(a=>n.has(a.id));for(let a of t)r?n.delete(a.id):n.set(a.id,{id:a.id,displayName:a.displayName});return n}function Rt(e,t){let n=t.filter(r=>e.has(r.id)).length;return n===0?"none":n===t.length?"all":"some"}function Mt({customer:e,selection:t,onSelection:n,onManage:r}){let a=[...t.keys()],{data:s,error:l,loading:u}=N(W,{customerId:e.id,userIds:a}),_=(s?.customer?.usersByIds??[]).filter(c=>t.has(c.id));return o("section",{"aria-labelledby":"selected-title","aria-busy":u?"true":"false",children:[o("h2",{id:"selected-title",children:"Selected users"}),o(x,{error:l}),t.size===0?o("p",{children:"No user is selected yet: tick users in “Users and licenses”."}):o(E,{children:[o("p",{class:"count",children:[t.size," selected, sorted by name."]}),o("ol",{class:"selected",children:_.map(c=>o("li",{children:[o("span",{children:c.displayName}),o("span",{class:"muted",children:c.usageLocation??"no usage location"}),o("button",{type:"button","aria-label":`Untick ${c.displayName}`,onClick:()=>n(ke(t,c)),children:"Untick"})]},c.id))}),o("button",{type:"button",class:"primary",onClick:r,children:"Manage licenses of these users"})]})]})}function Ot({message:e,onSignedIn:t}){let[n,r]=h(""),[a,s]=h(e),[l,u]=h(!1);return o("main",{id:"main",class:"sign-in",children:[o("h1",{children:"Manage licenses"}),o("p",{children:["Sign in with an access token (from ",o("code",{children:"licgraph token create"}),")."]}),a&&o("p",{class:"problem",role:"alert",children:a}),o("form",{onSubmit:async c=>{if(c.preventDefault(),!n.trim()){s("Paste an access token first.");return}u(!0),vt(n);try{let{viewer:d}=await K(ee);t(d)}catch(d){V(),s(d instanceof I?"That token was not accepted: it is unknown, expired or revoked.":d.message),u(!1)}},children:[o("label",{for:"token",children:"Access token"}),o("input",{id:"token",type:"password",autocomplete:"off",spellcheck:!1,value:n,onInput:c=>r(c.currentTarget.value)}),o("button",{type:"submit",disabled:l,children:l?"Signing in…":"Sign in"})]}),o("p",{class:"hint",children:"The token stays in this browser tab only and is forgotten when you sign out."})]})}var we=25,We={first:we},Ln={last:we};function Ht({customer:e,selection:t,onSelection:n,onManage:r}){let[a,s]=h(We),[l,u]=h(null),[_,c]=h(null),{data:d,error:f,loading:i}=N(Me,{customerId:e.id,...a,search:l,filter:_}),p=d?.customer?.users,m=p?.nodes??[],k=p?.pageInfo,S=g=>{g(),s(We)};return o("section",{"aria-labelledby":"users-title","aria-busy":i?"true":"false",children:[o("h2",{id:"users-title",children:"Users and licenses"}),o("div",{class:"tools",children:[o(he,{id:"user-search",label:"Search users",value:l,onSearch:g=>S(()=>u(g))}),o(Nn,{customer:e,onApply:g=>S(()=>c(g))})]}),o(x,{error:f}),p&&o(E,{children:[o("p",{class:"count","aria-live":"polite",children:[p.totalCount," ",p.totalCount===1?"user":"users"," ·"," ",o("strong",{children:[t.size," selected"]}),t.size>0&&o(E,{children:[" ",o("button",{type:"button",class:"link",onClick:r,children:"Manage licenses of the selected users"})]})]}),o("div",{class:"table-scroll",children:o("table",{class:"users",children:[o("caption",{class:"visually-hidden",children:["Users of ",e.name]}),o("thead",{children:o("tr",{children:[o("th",{scope:"col",children:o(me,{id:"select-page",label:"Select all on this page",state:Rt(t,m),disabled:m.length===0,onChange:()=>n(qt(t,m))})}),o("th",{scope:"col",children:"Name"}),o("th",{scope:"col",children:"Sign-in name"}),o("th",{scope:"col",children:"Location"}),o("th",{scope:"col",children:"Licenses"})]})}),o("tbody",{children:m.map(g=>o("tr",{class:t.has(g.id)?"ticked":void 0,children:[o("td",{children:o("input",{type:"checkbox","aria-label":`Select ${g.displayName}`,checked:t.has(g.id),onChange:()=>n(ke(t,g))})}),o("th",{scope:"row",children:g.displayName}),o("td",{children:g.userPrincipalName}),o("td",{children:g.usageLocation??o("span",{class:"muted",children:"none"})}),o("td",{children:g.licenses.map(ve).join(", ")||o("span",{class:"muted",children:"none"})})]},g.id))})]})}),m.length===0&&o("p",{children:"No user matches."}),o(Q,{label:"User pages",buttons:[{text:"First",enabled:k.hasPreviousPage,onClick:()=>s(We)},{text:"Previous",enabled:k.hasPreviousPage,onClick:()=>s({last:we,before:k.startCursor})},{text:"Next",enabled:k.hasNextPage,onClick:()=>s({first:we,after:k.endCursor})},{text:"Last",enabled:k.hasNextPage,onClick:()=>s(Ln)}]})]})]})}function Nn({customer:e,onApply:t}){let{data:n}=N(W,{customerId:e.id,userIds:[]}),r=n?.customer?.products??[],[a,s]=h(""),[l,u]=h(""),[_,c]=h(""),d=p=>{p.preventDefault();let m={};a&&(m.holdingProduct=a),l&&(m.lackingProduct=l),_.trim()&&(m.usageLocation=_.trim().toUpperCase()),t(Object.keys(m).length>0?m:null)},f=()=>{s(""),u(""),c(""),t(null)},i=r.map(p=>o("option",{value:p.id,children:p.name},p.id));return o("form",{class:"filters",onSubmit:d,"aria-label":"Filter users",children:[o("label",{for:"holding",children:"Holding product"}),o("select",{id:"holding",value:a,onChange:p=>s(p.currentTarget.value),children:[o("option",{value:"",children:"Any"}),i]}),o("label",{for:"lacking",children:"Lacking product"}),o("select",{id:"lacking",value:l,onChange:p=>u(p.currentTarget.value),children:[o("option",{value:"",children:"Any"}),i]}),o("label",{for:"location",children:"Usage location"}),o("input",{id:"location",size:"4",maxLength:2,placeholder:"US",value:_,onInput:p=>c(p.currentTarget.value)}),o("button",{type:"submit",children:"Apply filters"}),o("button",{type:"button",onClick:f,children:"Clear filters"})]})}var An=[["customers","Customers"],["users","Users and licenses"],["selected","Selected users"],["manage","Manage licenses"],["results","Licenses updated"],["log","Change log"]];function Ft(){let[e,t]=h(null),[n,r]=h(()=>fe()!==null),[a,s]=h(null),[l,u]=h(null),[_,c]=h(Se),[d,f]=h("customers"),[i,p]=h(null),m=v=>{t(v),s(null),v.customer?S(v.customer):f("customers")},k=v=>{V(),t(null),u(null),c(Se()),p(null),s(v)},S=v=>{u(v),c(Se()),p(null),f("users")},g=j(()=>({viewer:e,end:k}),[e]);if(T(()=>{n&&K(ee).then(({viewer:v})=>m(v),v=>k(v instanceof I?v.message:null)).finally(()=>r(!1))},[]),T(()=>{document.getElementById("main")?.focus()},[d]),n)return o("p",{class:"loading",children:"Checking your session…"});if(!e)return o(Ot,{message:a,onSignedIn:m});let y=v=>{p(v),f("results")},b={customer:l,selection:_,onSelection:c,onManage:()=>f("manage")};return o(D.Provider,{value:g,children:[o("a",{class:"skip",href:"#main",children:"Skip to the screen"}),o("header",{class:"top",children:[o("h1",{class:"brand",children:"licgraph · Manage licenses"}),o("p",{class:"who",children:[e.name," ",o("span",{class:"muted",children:["(",ge(e.role),")"]}),l&&o(E,{children:[" ","· ",o("strong",{children:l.name})]})]}),o("button",{type:"button",onClick:()=>k(null),children:"Sign out"})]}),o("nav",{class:"screens","aria-label":"Screens",children:An.map(([v,L])=>o("button",{type:"button","aria-current":d===v?"page":void 0,disabled:!$n(v,l,i,e),onClick:()=>f(v),children:[L,v==="selected"&&l?` (${_.size})`:""]},v))}),o("main",{id:"main",tabIndex:-1,children:[d==="customers"&&o(Et,{onOpen:S}),d==="users"&&o(Ht,{...b}),d==="selected"&&o(Mt,{...b}),d==="manage"&&o(Tt,{...b,onSaved:y}),d==="results"&&i&&o(Dt,{customer:l,outcome:i,onRetried:y},JSON.stringify(i.userIds)+i.retried),d==="log"&&o(Ct,{customer:l})]})]})}function $n(e,t,n,r){return e==="customers"?r.partnerWide:e==="results"?n!==null:t!==null}var Wt=document.getElementById("app");Wt.replaceChildren();st(o(Ft,{}),Wt);
